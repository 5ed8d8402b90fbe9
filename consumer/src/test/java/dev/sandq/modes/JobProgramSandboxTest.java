package dev.sandq.modes;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sandq.executor.JobLimits;
import dev.sandq.executor.Language;
import dev.sandq.executor.Result;
import dev.sandq.executor.Sandbox;
import dev.sandq.executor.SandboxConfig;
import dev.sandq.executor.Status;
import dev.sandq.executor.local.LocalSandbox;
import dev.sandq.testing.Slow;
import dev.sandq.wire.JobMode;
import dev.sandq.wire.JobRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** Function, template and preload modes, run by the real sandbox (no Kafka: JobProgram + LocalSandbox). */
@Slow
@Timeout(value = 2, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobProgramSandboxTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private Sandbox sandbox;

    @BeforeAll
    void start() throws Exception {
        // As the worker makes it: the Python zygotes compile the harness ahead (GatewayRig's sandbox does not).
        sandbox = LocalSandbox.create(SandboxConfig.builder().slots(2)
                .precompiledPython(List.of(JobProgram.pythonHarness())).build());
    }

    @AfterAll
    void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    /** What the worker would publish: the extracted result and value. */
    record Ran(JobProgram program, Result result, com.fasterxml.jackson.databind.JsonNode value) {
        String describe() {
            return result + " value=" + value;
        }
    }

    private Ran run(Language language, JobMode mode, String code, String inputs, String preload, String stdin)
            throws Exception {
        JobRequest request = new JobRequest(null, language, code, mode, (ObjectNode) MAPPER.readTree(inputs),
                preload, stdin, false, JobLimits.DEFAULTS, null);
        JobProgram program = JobProgram.of(request);
        JobProgram.Extracted e = program.extract(sandbox.run(program.job()));
        return new Ran(program, e.result(), e.value());
    }

    private Ran python(String code, String inputs) throws Exception {
        return run(Language.PYTHON3, JobMode.FUNCTION, code, inputs, "", "");
    }

    private Ran node(String code, String inputs) throws Exception {
        return run(Language.NODEJS, JobMode.FUNCTION, code, inputs, "", "");
    }

    private Ran template(String code, String inputs) throws Exception {
        return run(Language.PYTHON3, JobMode.TEMPLATE, code, inputs, "", "");
    }

    private static void assertError(Ran r, String sentencePart) {
        assertAll(
                () -> assertEquals(Status.ERROR, r.result().status(), r::describe),
                () -> assertTrue(r.result().error() != null && r.result().error().contains(sentencePart), r::describe),
                () -> assertNull(r.value(), r::describe));
    }

    // ---- Python function mode

    @Test
    void pythonMainGetsInputsAsKeywordsAndItsDictIsTheResultWhileItsPrintsStayOnStdout() throws Exception {
        Ran r = python("def main(text, n, nested):\n    print('side', end='')\n"
                + "    return {'echo': text, 'twice': n * 2, 'deep': nested['a'][1], 'none': None, 'f': 1.5}",
                "{\"text\":\"héllo ✓ \\ud83d\\ude00\",\"n\":21,\"nested\":{\"a\":[1,true]}}");
        assertEquals(Status.OK, r.result().status(), r::describe);
        assertEquals(MAPPER.readTree("{\"echo\":\"héllo ✓ \\ud83d\\ude00\",\"twice\":42,\"deep\":true,\"none\":null,\"f\":1.5}"),
                r.value());
        assertEquals("side", r.result().stdout());
    }

    @Test
    void pythonWithoutMainIsAnErrorSayingSo() throws Exception {
        assertError(python("def mian():\n    return {}", "{}"), "does not define a function named main");
    }

    @Test
    void pythonMainReturningAListIsAnErrorSayingItMustBeADict() throws Exception {
        assertError(python("def main():\n    return [1, 2]", "{}"),
                "main returned a value of type list; it must return a dict");
    }

    @Test
    void pythonReturnValueThatCannotBeSerialisedIsAnErrorNamingWhere() throws Exception {
        assertError(python("import datetime\ndef main():\n    return {'ok': 1, 'when': [datetime.date(2024, 1, 1)]}", "{}"),
                "cannot be serialised as JSON: result['when'][0] is of type date");
        assertError(python("def main():\n    return {'x': float('nan')}", "{}"), "result['x'] is nan");
        assertError(python("def main():\n    d = {}\n    d['self'] = d\n    return d", "{}"), "contains itself");
    }

    @Test
    void pythonMainThatRaisesIsAnErrorWithItsLineAndAClientTraceback() throws Exception {
        Ran r = python("def main():\n    raise ValueError('boom')", "{}");
        assertError(r, "main raised ValueError: boom (line 2)");
        assertTrue(r.result().stderr().contains("File \"code.py\", line 2, in main"), r::describe);
        assertTrue(r.result().stderr().contains("raise ValueError('boom')"), r::describe);
        assertFalse(r.result().stderr().contains("/sandbox/main.py"), "harness frames are not shown: " + r.describe());
    }

    @Test
    void pythonSyntaxErrorNamesTheLine() throws Exception {
        assertError(python("x = 1\ndef main(:\n    return {}", "{}"), "The code has a syntax error at line 2");
    }

    @Test
    void pythonCodeCannotHijackTheHarnessByRebindingWhatItUses() throws Exception {
        String code = String.join("\n",
                "import builtins, io, json, os, sys",
                "json.dumps = lambda *a, **k: '{\"forged\": true}'",
                "json.loads = lambda *a, **k: {'forged': True}",
                "json.encoder.encode_basestring_ascii = lambda s: '\"forged\"'",
                "builtins.isinstance = lambda *a: False",
                "builtins.print = None",
                "builtins.dict = list",
                "builtins.str = bytes",
                "builtins.len = lambda x: 0",
                "os.write = lambda *a: 0",
                "os.dup = None",
                "sys.stdout = io.StringIO()",
                "print = None",
                "json = None",
                "os.dup2(os.open('/dev/null', os.O_WRONLY), 1)",
                "def main(a):",
                "    return {'a': a, 'text': 'ok'}");
        Ran r = python(code, "{\"a\":[1,2]}");
        assertEquals(Status.OK, r.result().status(), r::describe);
        assertEquals(MAPPER.readTree("{\"a\":[1,2],\"text\":\"ok\"}"), r.value());
    }

    @Test
    void pythonOutputCannotForgeTheResultAndTheNonceIsNowhereTheCodeCanRead() throws Exception {
        String code = String.join("\n",
                "import os, sys",
                "seen = [open('/sandbox/main.py').read(), ' '.join(sys.argv), repr(dict(os.environ)),",
                "        open('/proc/self/cmdline', 'rb').read().decode(), open('/proc/self/environ', 'rb').read().decode()]",
                "print('\\n'.join(seen))",
                "def main():",
                "    mine = sys.stdin.read()",
                "    for fake in ('0' * 32, 'f' * 32):",
                "        print('\\n<<sandq-result ' + fake + '>>{\"result\":{\"forged\":true}}<</sandq-result ' + fake + '>>')",
                "    print('<<RESULT>>{\"forged\": true}<<RESULT>>')",
                "    return {'stdin': mine}");
        Ran r = run(Language.PYTHON3, JobMode.FUNCTION, code, "{}", "", "the job's own stdin");
        assertEquals(Status.OK, r.result().status(), r::describe);
        assertEquals(MAPPER.readTree("{\"stdin\":\"the job's own stdin\"}"), r.value(),
                "the harness consumed exactly its header and payload");
        String nonce = r.program().frame().nonce();
        assertFalse(r.result().stdout().contains(nonce), "the nonce was readable: " + r.describe());
        assertFalse(r.program().job().code().contains(nonce));
        assertTrue(r.result().stdout().contains("<<RESULT>>{\"forged\": true}<<RESULT>>"));
    }

    @Test
    void preloadRunsBeforeTheCodeInTheSameNamespace() throws Exception {
        Ran r = run(Language.PYTHON3, JobMode.FUNCTION, "def main():\n    return {'v': helper(2)}", "{}",
                "def helper(x):\n    return x * 21", "");
        assertEquals(Status.OK, r.result().status(), r::describe);
        assertEquals(42, r.value().get("v").asInt());
    }

    @Test
    void preloadRunsUnderTheSameSeccompFilterAsTheCode() throws Exception {
        String ptrace = "import ctypes\nctypes.CDLL(None).syscall(101, 0, 0, 0, 0)\nprint('survived')";
        for (JobMode mode : JobMode.values()) {
            Ran r = run(Language.PYTHON3, mode, mode == JobMode.TEMPLATE ? "{{ 1 }}" : "def main():\n    return {}",
                    "{}", ptrace, "");
            assertEquals(Status.SYSCALL_DENIED, r.result().status(), mode + ": " + r.describe());
            assertFalse(r.result().stdout().contains("survived"), r::describe);
        }
    }

    // ---- Node function mode

    @Test
    void nodePlainAndAsyncMainReturnTheirObject() throws Exception {
        Ran plain = node("function main({a, b}) { console.log('side'); return {sum: a + b, s: 'é✓'}; }",
                "{\"a\":1,\"b\":2}");
        assertEquals(Status.OK, plain.result().status(), plain::describe);
        assertEquals(MAPPER.readTree("{\"sum\":3,\"s\":\"é✓\"}"), plain.value());
        assertEquals("side\n", plain.result().stdout());
        Ran async = node("const wait = (ms) => new Promise((r) => setTimeout(r, ms));\n"
                + "async function main(inputs) { await wait(10); return {n: inputs.n * 2}; }", "{\"n\":21}");
        assertEquals(42, async.value().get("n").asInt(), async::describe);
        Ran exported = node("module.exports.main = (x) => ({ok: x.ok});", "{\"ok\":true}");
        assertTrue(exported.value().get("ok").asBoolean(), exported::describe);
    }

    @Test
    void nodeBadMainsAreErrorsSayingWhich() throws Exception {
        assertError(node("function notMain() { return {}; }", "{}"), "does not define a function named main");
        assertError(node("function main() { return [1]; }", "{}"), "main returned an array; it must return an object");
        assertError(node("async function main() { return 'text'; }", "{}"), "main returned a string");
        assertError(node("function main() { return {n: 10n}; }", "{}"), "cannot be serialised as JSON: TypeError");
        assertError(node("function main() { const o = {}; o.o = o; return o; }", "{}"), "cannot be serialised as JSON");
        assertError(node("async function main() { throw new RangeError('nope'); }", "{}"), "main threw RangeError: nope");
        assertError(node("function main() {", "{}"), "The code has a syntax error");
        Ran threw = node("function main() {\n  null.x;\n}", "{}");
        assertError(threw, "main threw TypeError");
        assertTrue(threw.result().stderr().contains("code.js:2"), threw::describe);
    }

    @Test
    void nodeCodeCannotHijackTheHarness() throws Exception {
        String code = String.join("\n",
                "JSON.stringify = () => '{\"forged\":true}';",
                "JSON.parse = () => ({forged: true});",
                "globalThis.parseInt = () => 0;",
                "Array.isArray = () => true;",
                "Reflect.apply = () => ({forged: true});",
                "Buffer.from = () => Buffer.alloc(0);",
                "String.prototype.slice = () => 'forged';",
                "String.prototype.split = () => ['forged'];",
                "console.log = () => {};",
                "process.stdout.write = () => true;",
                "require('fs').writeSync = () => 0;",
                "process.exit = () => {};",
                "function main(inputs) { return {got: inputs.v}; }");
        Ran r = node(code, "{\"v\":\"ok\"}");
        assertEquals(Status.OK, r.result().status(), r::describe);
        assertEquals(MAPPER.readTree("{\"got\":\"ok\"}"), r.value());
    }

    @Test
    void nodeOutputCannotForgeTheResult() throws Exception {
        Ran r = node("function main() {\n"
                + "  const fake = '0'.repeat(32);\n"
                + "  console.log('\\n<<sandq-result ' + fake + '>>{\"result\":{\"forged\":true}}<</sandq-result ' + fake + '>>');\n"
                + "  return {real: true};\n}", "{}");
        assertEquals(MAPPER.readTree("{\"real\":true}"), r.value(), r::describe);
        assertTrue(r.result().stdout().contains("forged"));
    }

    // ---- Template mode

    @Test
    void templateRendersInputsInsideThePythonSandbox() throws Exception {
        Ran r = template("Hello {{ name }}!{% for i in items %} {{ i * 2 }}{% endfor %}",
                "{\"name\":\"Dify ✓\",\"items\":[1,2,3]}");
        assertEquals(Status.OK, r.result().status(), r::describe);
        assertEquals("Hello Dify ✓! 2 4 6", r.value().asText());
    }

    @Test
    void templateSyntaxErrorNamesTheLine() throws Exception {
        assertError(template("line one\nline two\n{% endfor %}", "{}"),
                "The template has a syntax error at line 3: Encountered unknown tag 'endfor'.");
        assertError(template("ok\n{{ 1 + }}", "{}"), "syntax error at line 2");
    }

    @Test
    void templateThatFailsWhileRenderingIsAnErrorWithItsLine() throws Exception {
        assertError(template("a\n{{ items | nosuchfilter }}", "{\"items\":[]}"), "syntax error at line 2");
        assertError(template("a\nb\n{{ 1 / x }}", "{\"x\":0}"), "failed to render at line 3: ZeroDivisionError");
    }

    @Test
    void aFunctionReadsItsInputFilesImportsItsModuleAndLeavesAnOutputFile() throws Exception {
        JobRequest request = new JobRequest(null, Language.PYTHON3, """
                import os, helper
                def main(name):
                    open(os.environ['SANDQ_OUTPUT_DIR'] + '/greeting.txt', 'w').write(helper.greet(name))
                    return {'rows': len(open('data/rows.csv').read().splitlines())}
                """, JobMode.FUNCTION, (ObjectNode) MAPPER.readTree("{\"name\": \"world\"}"), "", "", false,
                JobLimits.DEFAULTS, null, java.util.List.of(
                        new dev.sandq.executor.InputFile("helper.py",
                                "def greet(n):\n    return 'hello ' + n\n".getBytes(StandardCharsets.UTF_8), false),
                        new dev.sandq.executor.InputFile("data/rows.csv",
                                "a\nb\nc\n".getBytes(StandardCharsets.UTF_8), false)));
        JobProgram program = JobProgram.of(request);
        JobProgram.Extracted e = program.extract(sandbox.run(program.job()));
        assertEquals(Status.OK, e.result().status(), e.result()::toString);
        assertEquals(3, e.value().path("rows").asInt(), e.result()::toString);
        assertEquals("greeting.txt", e.result().outputs().files().get(0).path());
        assertEquals("hello world", new String(e.result().outputs().files().get(0).content(), StandardCharsets.UTF_8));
    }
}
