package dev.sandq.executor;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandq.executor.local.LocalSandbox;
import dev.sandq.testing.Slow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The sandbox holds exactly the shared libraries the interpreters need: everything everyday
 * code loads works, and nothing runnable besides the interpreter is inside.
 */
@Slow
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SandboxLibrariesTest {
    private static Sandbox sandbox;

    @BeforeAll
    static void start() throws Exception {
        sandbox = LocalSandbox.create(SandboxConfig.builder().slots(1).build());
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @Test
    void pythonModulesWithNativeLibrariesImportAndWork() throws Exception {
        String code = """
                import numpy, pandas, hashlib, ssl, zoneinfo, decimal, sqlite3, ctypes, json, jinja2, requests
                import datetime, lzma, bz2, zlib, threading
                print(int(numpy.linalg.inv(numpy.array([[2.0, 0.0], [0.0, 4.0]])).trace() * 4))
                print(pandas.DataFrame({'a': [1, 2, 3]})['a'].sum())
                print(hashlib.sha256(b'x').hexdigest()[:8], hashlib.md5(b'x').hexdigest()[:8])
                ctx = ssl.create_default_context()
                print(ctx.verify_mode == ssl.CERT_REQUIRED, ctx.cert_store_stats()['x509_ca'] > 0)
                print(datetime.datetime(2024, 7, 1, tzinfo=zoneinfo.ZoneInfo('Europe/Paris')).utcoffset())
                print(decimal.Decimal(1) / decimal.Decimal(7))
                db = sqlite3.connect(':memory:')
                print(db.execute('select sqlite_version() is not null').fetchone()[0])
                print(ctypes.CDLL('libc.so.6').getpid() == __import__('os').getpid())
                print(json.dumps({'k': [1]}), jinja2.Template('{{ x }}!').render(x='hi'), requests.__name__)
                print(len(lzma.compress(b'a')) > 0, bz2.decompress(bz2.compress(b'b')), zlib.crc32(b'c'))
                t = threading.Thread(target=lambda: None)
                t.start()
                t.join()
                print('done')
                """;
        Result r = sandbox.run(Job.of(Language.PYTHON3, code).withLimits(JobLimits.DEFAULTS.withWallTimeMs(20_000)));
        assertAll(
                () -> assertEquals(Status.OK, r.status(), r::toString),
                () -> assertEquals("""
                        3
                        6
                        2d711642 9dd4e461
                        True True
                        2:00:00
                        0.1428571428571428571428571429
                        1
                        True
                        {"k": [1]} hi! requests
                        True b'b' 112844655
                        done
                        """, r.stdout(), r::toString));
    }

    @Test
    void nodeCryptoZlibAndHttpsLoad() throws Exception {
        String code = """
                const crypto = require('crypto'), zlib = require('zlib'), https = require('https'), tls = require('tls');
                console.log(crypto.createHash('sha256').update('x').digest('hex').slice(0, 8));
                console.log(zlib.gunzipSync(zlib.gzipSync(Buffer.from('round trip'))).toString());
                console.log(typeof https.request, tls.rootCertificates.length > 0, crypto.randomBytes(4).length);
                """;
        Result r = sandbox.run(Job.of(Language.NODEJS, code));
        assertAll(
                () -> assertEquals(Status.OK, r.status(), r::toString),
                () -> assertEquals("2d711642\nround trip\nfunction true 4\n", r.stdout(), r::toString));
    }

    /**
     * Walks the whole sandbox (but /proc) and lists every file a job could execute besides the
     * interpreter: an ELF program, or a script whose #! interpreter exists inside and is not the
     * interpreter itself. Shared libraries (x.so, x.so.N) are not programs. Files that merely
     * have an exec bit (Perl or shell scripts of the standard library, with no interpreter
     * inside) are listed separately and allowed.
     */
    @Test
    void nothingRunnableButTheInterpreterIsInside() throws Exception {
        String code = """
                import os, re
                interpreter = os.path.realpath('/usr/bin/python3')
                runnable, inert = [], []
                for d, dirs, files in os.walk('/'):
                    if d == '/proc':
                        dirs[:] = []
                        continue
                    for f in files:
                        p = os.path.join(d, f)
                        if not os.path.isfile(p) or not os.access(p, os.X_OK) or re.search(r'\\.so(\\.|$)', f):
                            continue
                        if os.path.realpath(p) == interpreter:
                            continue
                        with open(p, 'rb') as fh:
                            head = fh.read(256)
                        if head.startswith(b'\\x7fELF'):
                            runnable.append(p)
                        elif head.startswith(b'#!'):
                            words = head[2:].split(b'\\n')[0].split()
                            target = words[0].decode() if words else ''
                            if target and os.path.exists(target) and os.path.realpath(target) != interpreter:
                                runnable.append(p + ' (#! ' + target + ')')
                            else:
                                inert.append(p)
                        else:
                            inert.append(p)
                print('runnable', runnable)
                print('shells', [p for p in ('/bin/sh', '/usr/bin/sh', '/bin/bash', '/usr/bin/env', '/usr/bin/perl')
                                 if os.path.lexists(p)])
                print('usr/bin', sorted(os.listdir('/usr/bin')))
                print('inert', len(inert))
                """;
        Result r = sandbox.run(Job.of(Language.PYTHON3, code).withLimits(JobLimits.DEFAULTS.withWallTimeMs(20_000)));
        assertEquals(Status.OK, r.status(), r::toString);
        String[] lines = r.stdout().split("\n");
        assertAll(
                () -> assertEquals("runnable []", lines[0], r::toString),
                () -> assertEquals("shells []", lines[1], r::toString),
                () -> assertEquals("usr/bin ['python3']", lines[2], r::toString));
    }

    @Test
    void nodeSeesNoProgramsEither() throws Exception {
        String code = """
                const fs = require('fs'), path = require('path');
                const found = [];
                (function walk(dir) {
                  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
                    const p = path.join(dir, e.name);
                    if (e.isDirectory()) { if (p !== '/proc') walk(p); continue; }
                    if (!e.isFile() || /\\.so(\\.|$)/.test(e.name) || p === '/usr/bin/node') continue;
                    const fd = fs.openSync(p, 'r'); const head = Buffer.alloc(4); fs.readSync(fd, head, 0, 4, 0); fs.closeSync(fd);
                    if (head.toString('latin1') === '\\x7fELF') found.push(p);
                  }
                })('/');
                console.log(JSON.stringify(found), fs.existsSync('/bin/sh'), fs.existsSync('/usr/bin/env'));
                """;
        Result r = sandbox.run(Job.of(Language.NODEJS, code).withLimits(JobLimits.DEFAULTS.withWallTimeMs(20_000)));
        assertAll(
                () -> assertEquals(Status.OK, r.status(), r::toString),
                () -> assertEquals("[] false false\n", r.stdout(), r::toString));
    }
}
