# sandq zygote (sandq-launcher --zygote-serve SOCKET ... -- python3 [OPTIONS] -c THIS LIBRARY PRELOAD
# [PROGRAM [CODE_PATH [PRECOMPILED...]]]): a
# warm interpreter, listening on fd 3, that forks one child per launch handed to it by
# `sandq-launcher --zygote SOCKET`. The child runs the launch in-process
# (LIBRARY's sandq_zygote_child); in the job, confined in its fresh sandbox, that call returns and
# this interpreter continues as `python3 [OPTIONS] -c PROGRAM ARGS...` would start: the launch's
# program must be this interpreter with these options and this environment (the worker checks it,
# and so does the job below). PRELOAD names the modules imported here for the jobs, separated by
# commas (see _sandq_preload). PROGRAM, when given, is the program the launches are expected to
# run (the prestart bootstrap): compiled once here, not in every job. Each PRECOMPILED is a program
# many jobs run as their whole code (the worker's harness of function and template jobs), compiled
# here as the bootstrap would compile it at CODE_PATH: the bootstrap runs that code when a job's
# code is exactly that program (ZYGOTE.md). They come from the worker's configuration, never from a
# job. Nothing here may hold a secret: every job starts from this memory.
import sys as _sandq_sys

_sandq_modules_at_start = frozenset(_sandq_sys.modules)


def _sandq_zygote():
    import ctypes
    import gc
    import os
    import socket
    import sys

    library_path = sys.argv[1]
    preload_names = tuple(name for name in sys.argv[2].split(",") if name)
    # A job that compiled the bootstrap itself would spend about 0.6 ms on it, and write (and so
    # copy) some 190 pages of this process's memory.
    expected_program = sys.argv[3] if len(sys.argv) > 3 else None
    precompiled = compile(expected_program, "<string>", "exec") if expected_program is not None else None
    # Keyed as the bootstrap looks them up: the code's path, and its source's bytes as a job sends them.
    programs = {}
    if len(sys.argv) > 4:
        code_path = sys.argv[4]
        for source in sys.argv[5:]:
            encoded = source.encode("utf-8", "surrogateescape")
            try:
                programs[(code_path, encoded)] = compile(encoded, code_path, "exec", dont_inherit=True)
            except Exception:
                pass  # a job with this code compiles it, and gets its own error with its own traceback
    library = ctypes.PyDLL(library_path)
    library.sandq_zygote_child.argtypes = [ctypes.c_int]
    library.sandq_zygote_child.restype = ctypes.c_int
    strings = ctypes.POINTER(ctypes.c_char_p)
    library.sandq_job_argv.restype = strings
    library.sandq_job_env.restype = strings
    library.sandq_zygote_expect.argtypes = [strings, strings]
    library.sandq_zygote_expect.restype = None
    options = list(sys.orig_argv[: sys.orig_argv.index("-c")])
    environment = dict(os.environ)
    # The launcher refuses, as a setup error, a launch this interpreter would not start as execve would.
    expected_options = to_strings(options)
    expected_env = to_strings(f"{k}={v}" for k, v in environment.items())
    library.sandq_zygote_expect(expected_options, expected_env)

    preloaded = _sandq_preload(preload_names)
    server = socket.socket(fileno=3)  # bound and listening (zygote_serve.c)
    server.settimeout(1.0)  # reap the children, and look for the worker, at least once a second
    worker = os.getppid()
    # What the zygote itself uses (its modules, the library, the server) lives on in every child,
    # out of sys.modules already, so that a job's sys.modules is a fresh interpreter's without
    # the job changing it, or freeing anything: each object freed, or entry deleted, in a child is
    # a page of this process written (and so copied). No secret is in them.
    survivors = [sys.modules.pop(name) for name in list(sys.modules) if name not in _sandq_modules_at_start]
    survivors += [library, expected_options, expected_env, server]
    ctypes.pythonapi.Py_IncRef(ctypes.py_object(survivors))
    gc.freeze()
    print("sandq zygote: ready", file=sys.stderr, flush=True)
    while True:
        try:
            connection, _ = server.accept()
        except TimeoutError:
            connection = None
        if connection is not None:
            pid = os.fork()
            if pid == 0:
                # The C side closes every fd it does not keep: these objects must not close them again.
                fd = connection.detach()
                server.detach()
                library.sandq_zygote_child(fd)
                # Only in the job: confined, in its sandbox.
                return (read_strings(library.sandq_job_argv()), read_strings(library.sandq_job_env()), options,
                        environment, preloaded, expected_program, precompiled, programs)
            connection.close()
        if os.getppid() != worker:
            os._exit(0)  # the worker died without stopping us; what we forked goes on alone
        while True:
            try:
                child, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if child == 0:
                break


# The modules named (by the worker: what function and template jobs import, the harness's base64,
# json and traceback, and Jinja2 in a zygote for templates), imported once here and handed over
# when a job imports them itself: until then its sys.modules is a fresh interpreter's. Only from
# the interpreter's own library and the system's packages (/usr/lib/python3/dist-packages):
# nothing an operator installed runs in this process, which is root. A preloaded module that
# registered an exit function would run it in every job: the zygote then refuses to start (the
# worker starts interpreters by execve).
def _sandq_preload(names):
    import atexit
    import sys
    import sysconfig
    from importlib.machinery import ModuleSpec

    paths = sysconfig.get_paths()
    trusted = (paths["stdlib"], paths["platstdlib"], "/usr/lib/python3/dist-packages")
    before = set(sys.modules)
    exit_functions = atexit._ncallbacks()
    search_path = list(sys.path)
    sys.path[:] = [p for p in sys.path if any(p == t or p.startswith(t + "/") for t in trusted)]
    try:
        for name in names:
            try:
                __import__(name)
            except ImportError:
                pass  # not installed: jobs import it from wherever they find it, as without a zygote
        if "jinja2" in names and "jinja2" in sys.modules:
            # A first template builds Jinja2's default environment and its lexer (their caches live
            # in the module): about half of a small template's cost, paid here once, not per job.
            sys.modules["jinja2"].Template("{{ sandq }}").render(sandq="")
    finally:
        sys.path[:] = search_path
    if atexit._ncallbacks() != exit_functions:
        raise SystemExit("sandq zygote: a preloaded module registered an exit function")
    modules = {name: sys.modules.pop(name) for name in list(sys.modules) if name not in before}
    # Entries that are no module of their own (typing.io is a class typing puts there) go back with
    # the module whose name they extend.
    companions = {name: modules.pop(name) for name in list(modules) if getattr(modules[name], "__spec__", None) is None}
    specs = {name: module.__spec__ for name, module in modules.items()}

    class Preloaded:
        """Hands a job the preloaded module it imports (its own copy, as the job is a fork)."""

        def find_spec(self, name, path=None, target=None):
            if name not in modules:
                return None
            return ModuleSpec(name, self, origin=specs[name].origin,
                              is_package=specs[name].submodule_search_locations is not None)

        def create_module(self, spec):
            return modules[spec.name]

        def exec_module(self, module):
            # As imported from its file: its own spec back, and handed over once.
            name = module.__name__
            module.__spec__ = specs[name]
            del modules[name]
            for companion in [c for c in companions if c.startswith(name + ".")]:
                sys.modules.setdefault(companion, companions.pop(companion))

    return Preloaded()


def to_strings(values):
    import ctypes

    encoded = [v.encode("utf-8", "surrogateescape") for v in values]
    return (ctypes.c_char_p * (len(encoded) + 1))(*encoded, None)


def read_strings(array):
    values = []
    i = 0
    while array[i] is not None:
        values.append(array[i].decode("utf-8", "surrogateescape"))
        i += 1
    return values


def _sandq_become_job(argv, env, options, environment, preloaded, expected_program, precompiled, programs):
    import os
    import sys

    expected = dict(item.split("=", 1) for item in env)
    if argv[: len(options) + 1] != options + ["-c"] or expected != environment:
        os.write(2, b"sandq zygote: the job's interpreter, options or environment differ from the zygote's\n")
        os._exit(126)
    # None left, unless the zygote imported one more since it started serving.
    for name in [n for n in sys.modules if n not in _sandq_modules_at_start]:
        del sys.modules[name]
    sys.meta_path.insert(0, preloaded)
    program = argv[len(options) + 1]
    sys.argv[:] = ["-c"] + argv[len(options) + 2 :]
    sys.orig_argv[:] = argv
    main = sys.modules["__main__"].__dict__
    for name in [n for n in main if not (n.startswith("__") and n.endswith("__"))]:
        del main[name]
    # What python3 -c PROGRAM runs: PROGRAM compiled as "<string>"; by the zygote, if it is the one expected.
    if program == expected_program:
        code = precompiled
        if programs:
            main["_sandq_precompiled"] = programs  # for the bootstrap, which removes it before the job's code runs
    else:
        code = compile(program, "<string>", "exec")
    return code, main


_sandq_code, _sandq_main = _sandq_become_job(*_sandq_zygote())
exec(_sandq_code, _sandq_main)
