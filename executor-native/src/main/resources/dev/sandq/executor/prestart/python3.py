# sandq prestart bootstrap (python3 -c THIS CODE_PATH): started before its job is known, inside
# the job's sandbox. It reads the job's code from stdin as 12 ASCII digits (the length) and the
# UTF-8 source, then the input files' manifest the same way (one "SIZE EXECUTABLE PATH" line per
# file), writes a byte on fd 3 (the launcher starts the job's limits), writes the input files
# (their contents follow on stdin) into the working directory, then runs the source as the
# __main__ script CODE_PATH, as `python3 CODE_PATH` would (with input files, the working directory
# comes next on sys.path, so that the job imports the modules it brought). The rest of stdin is
# the job's. Forked by a zygote, it finds the programs the zygote compiled (_sandq_precompiled) and
# runs one of those instead of compiling the source when the source is exactly that program.
import os as _sandq_os, sys as _sandq_sys


def _sandq_run():
    os, sys = _sandq_os, _sandq_sys
    gc_imported = "gc" in sys.modules
    import gc

    precompiled = globals().get("_sandq_precompiled", {})

    # What start-up made lives as long as the interpreter: the collector need not scan it again,
    # during the job or at exit (about a third of the exit time of an empty job).
    gc.freeze()
    if not gc_imported:
        del sys.modules["gc"]  # as python3 CODE_PATH starts: a job that imports gc imports it itself

    def exit_status(code):
        # What the interpreter makes of SystemExit(code) at the top level (Python/pythonrun.c).
        if code is None:
            return 0
        if isinstance(code, int):
            return code & 0xFF
        try:
            print(code, file=sys.stderr)
        except Exception:
            pass
        return 1

    def finish(status):
        # The interpreter's own exit, but for the last step: wait for the job's non-daemon threads,
        # run its atexit functions and flush its output as Py_FinalizeEx does, then end the process
        # without tearing every module down. That teardown touches every object, and in a process
        # forked from a warm interpreter (the zygote) every object touched is a page copied; the
        # kernel frees the memory at once anyway. (Like CPython's own forkserver children, which end
        # with os._exit. As the language reference says, __del__ of objects still alive at exit is not
        # guaranteed to run.)
        threading = sys.modules.get("threading")
        if threading is not None:
            try:
                threading._shutdown()
            except BaseException:
                pass
        import atexit

        atexit._run_exitfuncs()
        for stream in (sys.stdout, sys.stderr):
            try:
                if stream is not None:
                    stream.flush()
            except Exception:
                if stream is sys.stdout and status == 0:
                    status = 120  # as the interpreter exits when flushing stdout fails
        os._exit(status)

    def read_exactly(n):
        parts = []
        while n > 0:
            part = os.read(0, min(n, 1 << 20))
            if not part:
                os._exit(0)  # the worker went away before handing over a job
            parts.append(part)
            n -= len(part)
        return b"".join(parts)

    def write_input_files(manifest):
        # As the job's uid, in its own new /tmp, before any of its code runs: nothing else is there
        # yet. Still, no component is followed if it is a link, and no file is overwritten.
        for line in manifest.decode("utf-8").split("\n"):
            if not line:
                continue
            size, executable, path = line.split(" ", 2)
            parts = path.split("/")
            dir_fd = os.open(".", os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
            try:
                for part in parts[:-1]:
                    try:
                        os.mkdir(part, 0o755, dir_fd=dir_fd)
                    except FileExistsError:
                        pass
                    sub = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=dir_fd)
                    os.close(dir_fd)
                    dir_fd = sub
                flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
                fd = os.open(parts[-1], flags, 0o755 if executable == "1" else 0o644, dir_fd=dir_fd)
                try:
                    content = memoryview(read_exactly(int(size)))
                    while content:
                        content = content[os.write(fd, content):]
                finally:
                    os.close(fd)
            except OSError as error:
                print("sandq: cannot write the input file %s: %s" % (path, error.strerror), file=sys.stderr)
                os._exit(1)
            finally:
                os.close(dir_fd)

    source = read_exactly(int(read_exactly(12)))
    manifest = read_exactly(int(read_exactly(12)))
    os.write(3, b"s")  # the launcher starts the job's clocks
    os.close(3)
    if manifest:
        write_input_files(manifest)
    path = sys.argv[1]
    sys.argv[:] = [path]
    # As `python3 [OPTIONS] CODE_PATH` would show it: the interpreter's options, without "-c THIS".
    dash_c = sys.orig_argv.index("-c")
    sys.orig_argv[dash_c:] = [path]
    sys.path[0] = os.path.dirname(path)
    if manifest:
        # The job's modules are among its input files, in the working directory: importable next.
        sys.path.insert(1, os.getcwd())
    main = globals()
    for name in [n for n in main if n.startswith("_sandq_")]:
        del main[name]
    main["__file__"] = path
    main["__cached__"] = None
    main["__loader__"] = sys.modules["_frozen_importlib_external"].SourceFileLoader("__main__", path)
    try:
        code = precompiled.get((path, source))
        if code is None:
            code = compile(source, path, "exec", dont_inherit=True)
        del precompiled
        exec(code, main)
        status = 0
    except SystemExit as exit_request:
        status = exit_status(exit_request.code)
    except BaseException as error:
        tb = error.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_filename == "<string>":
            tb = tb.tb_next  # this bootstrap's own frames
        sys.excepthook(type(error), error.with_traceback(tb), tb)
        status = 1
    finish(status)


_sandq_run()
