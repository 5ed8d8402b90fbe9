# sandq harness, function and template modes (python3). See dev.sandq.modes.JobProgram.
#
# Protocol. Standard input starts with a 51-byte header "SANDQ1 <32 hex nonce> <10-digit length>\n"
# and that many bytes of JSON {"mode", "code", "preload", "inputs"}; what follows is the job's own
# stdin. The harness reads both before any user code runs, so the nonce is in no file, argument or
# variable the user's code can name. It dups fd 1 at the same moment, and at the end writes one
# frame on that fd: "\n<<sandq-result NONCE>>" + JSON + "<</sandq-result NONCE>>\n", where JSON
# is {"result": value} or {"error": "one sentence"}. Output the user's code prints cannot make a
# frame without the nonce. Everything the harness calls after user code ran was bound here first
# (functions of os, json's C string encoder, the builtins, exception classes), so user code that
# rebinds print, json, sys.stdout, builtins.* or closes/redirects fd 1 does not change what the
# harness reports.


def __sandq_harness():
    import builtins as _builtins
    import linecache as _linecache
    import os as _os
    import sys as _sys
    import traceback as _traceback
    from json import loads as _loads
    from json.encoder import encode_basestring_ascii as _quote

    _read, _write, _dup = _os.read, _os.write, _os.dup
    _isinstance, _type, _id, _len, _str, _int, _float = isinstance, type, id, len, str, int, float
    _dict, _list, _tuple, _bool, _callable, _set = dict, list, tuple, bool, callable, set
    _list_iter, _tuple_iter, _memoryview = list.__iter__, tuple.__iter__, memoryview
    _dict_items, _dict_get, _str_repr = dict.items, dict.get, str.__repr__
    _int_repr, _float_repr = int.__repr__, float.__repr__
    _compile, _exec = compile, exec
    _Exception, _BaseException, _SystemExit = Exception, BaseException, SystemExit
    _SyntaxError, _RecursionError = SyntaxError, RecursionError
    _print_exception = _traceback.print_exception
    _stdout, _stderr = _sys.stdout, _sys.stderr
    _stdout_flush, _stderr_flush = _stdout.flush, _stderr.flush
    _harness_file = __file__
    _inf = float("inf")

    def read_exactly(n):
        chunks = []
        got = 0
        while got < n:
            chunk = _read(0, n - got)
            if not chunk:
                raise _SystemExit("sandq harness: standard input ended inside the job header")
            chunks.append(chunk)
            got += _len(chunk)
        return b"".join(chunks)

    header = read_exactly(51).decode("ascii").split()
    nonce = header[1]
    job = _loads(read_exactly(_int(header[2])).decode("utf-8"))
    out = _dup(1)
    namespace = {"__name__": "__main__", "__builtins__": _builtins, "__file__": "code.py"}

    class Unserialisable(_Exception):
        pass

    def encode(value, path, parts, active):
        if value is None:
            parts.append("null")
        elif value is True:
            parts.append("true")
        elif value is False:
            parts.append("false")
        elif _isinstance(value, _str):
            parts.append(_quote(value))
        elif _isinstance(value, _int):
            parts.append(_int_repr(value))
        elif _isinstance(value, _float):
            if value != value or value == _inf or value == -_inf:
                raise Unserialisable(path + " is " + _float_repr(value) + ", which JSON cannot represent")
            parts.append(_float_repr(value))
        elif _isinstance(value, (_dict, _list, _tuple)):
            if _id(value) in active:
                raise Unserialisable(path + " contains itself")
            active.add(_id(value))
            if _isinstance(value, _dict):
                parts.append("{")
                first = True
                for key, item in _dict_items(value):
                    if _isinstance(key, _str):
                        name = key
                    elif key is None or _isinstance(key, (_bool, _int, _float)):
                        name = "null" if key is None else "true" if key is True else "false" if key is False \
                            else _int_repr(key) if _isinstance(key, _int) else _float_repr(key)
                    else:
                        raise Unserialisable(path + " has a key of type " + _type(key).__name__)
                    if not first:
                        parts.append(",")
                    first = False
                    parts.append(_quote(name))
                    parts.append(":")
                    encode(item, path + "[" + _str_repr(name) + "]", parts, active)
                parts.append("}")
            else:
                parts.append("[")
                index = 0
                for item in _list_iter(value) if _isinstance(value, _list) else _tuple_iter(value):
                    if index:
                        parts.append(",")
                    encode(item, path + "[" + _int_repr(index) + "]", parts, active)
                    index += 1
                parts.append("]")
            active.discard(_id(value))
        else:
            raise Unserialisable(path + " is of type " + _type(value).__name__)

    def flush_user_output():
        for flush in (_stdout_flush, _stderr_flush):
            try:
                flush()
            except _BaseException:
                pass
        try:
            current = _sys.stdout
            if current is not _stdout:
                current.flush()
        except _BaseException:
            pass

    def send(body):
        flush_user_output()
        frame = ("\n<<sandq-result " + nonce + ">>" + body + "<</sandq-result " + nonce + ">>\n").encode("ascii")
        view = _memoryview(frame)
        while _len(view):
            view = view[_write(out, view):]

    def fail(sentence):
        while sentence.endswith(".."):
            sentence = sentence[:-1]
        if _len(sentence) > 2000:
            sentence = sentence[:2000] + "..."
        send('{"error":' + _quote(sentence) + "}")
        raise _SystemExit(1)

    def describe(e):
        try:
            text = _str(e)
        except _BaseException:
            text = ""
        name = _type(e).__name__
        return name + ": " + text if text else name

    def user_line(tb, filename):
        line = None
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == filename:
                line = tb.tb_lineno
            tb = tb.tb_next
        return line

    def report_traceback(e):
        tb = e.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_filename == _harness_file:
            tb = tb.tb_next
        try:
            _print_exception(_type(e), e, tb, file=_stderr)
        except _BaseException:
            pass

    def run_source(source, filename, what):
        _linecache.cache[filename] = (_len(source), None, source.splitlines(True), filename)
        try:
            code = _compile(source, filename, "exec")
        except _SyntaxError as e:
            report_traceback(e)
            fail(what + " has a syntax error at line " + _str(e.lineno) + ": " + _str(e.msg) + ".")
        try:
            _exec(code, namespace)
        except _SystemExit:
            raise
        except _BaseException as e:
            report_traceback(e)
            line = user_line(e.__traceback__, filename)
            fail(what + " raised " + describe(e) + ("" if line is None else " (line " + _str(line) + ")") + ".")

    def run_function(inputs):
        main = _dict_get(namespace, "main")
        if main is None:
            fail("The code does not define a function named main.")
        if not _callable(main):
            fail("main is a " + _type(main).__name__ + ", not a function.")
        try:
            value = main(**inputs)
        except _SystemExit:
            raise
        except _BaseException as e:
            report_traceback(e)
            line = user_line(e.__traceback__, "code.py")
            fail("main raised " + describe(e) + ("" if line is None else " (line " + _str(line) + ")") + ".")
        if not _isinstance(value, _dict):
            fail("main returned " + ("None" if value is None else "a value of type " + _type(value).__name__)
                 + "; it must return a dict (a JSON object).")
        parts = []
        try:
            encode(value, "result", parts, _set())
        except Unserialisable as e:
            fail("main's return value cannot be serialised as JSON: " + e.args[0] + ".")
        except _RecursionError:
            fail("main's return value cannot be serialised as JSON: it is nested too deeply.")
        except _Exception as e:
            fail("main's return value cannot be serialised as JSON: " + describe(e) + ".")
        send('{"result":' + "".join(parts) + "}")

    def render_template(jinja2, source, inputs):
        template_class, template_syntax_error = jinja2
        try:
            template = template_class(source)
        except template_syntax_error as e:
            fail("The template has a syntax error at line " + _str(e.lineno) + ": " + _str(e.message) + ".")
        try:
            text = template.render(**inputs)
        except _SystemExit:
            raise
        except _BaseException as e:
            report_traceback(e)
            line = user_line(e.__traceback__, "<template>")
            fail("The template failed to render" + ("" if line is None else " at line " + _str(line)) + ": "
                 + describe(e) + ".")
        if not _isinstance(text, _str):
            fail("The template did not render to text.")
        send('{"result":' + _quote(text) + "}")

    jinja2 = None
    if job["mode"] == "template":
        import jinja2 as _jinja2
        jinja2 = (_jinja2.Template, _jinja2.TemplateSyntaxError)
    if job["preload"]:
        run_source(job["preload"], "preload.py", "The preload")
    if jinja2 is not None:
        render_template(jinja2, job["code"], job["inputs"])
    else:
        run_source(job["code"], "code.py", "The code")
        run_function(job["inputs"])


__sandq_harness()
