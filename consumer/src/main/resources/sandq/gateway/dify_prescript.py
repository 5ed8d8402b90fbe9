# sandq gateway: runs a program of Dify's as DifySandbox's Python prescript runs it
# (langgenius/dify-sandbox, internal/core/runner/python/prescript.py), inside the job's sandbox:
# the program comes on stdin (DifySandbox: fd 3) behind the preload's length and the preload,
# is compiled as "<fd3>" and run in this module's namespace (os, sys and traceback imported, as
# there); an uncaught exception, a SyntaxError in the program included, writes its traceback to
# stderr and exits 255 (sys.exit(-1)), as there. The preload, when the gateway passes one on
# (--enable-preload), runs first, in the same namespace and the same sandbox as the program.
import os
import sys
import traceback


def excepthook(type, value, tb):
    sys.stderr.write("".join(traceback.format_exception(type, value, tb)))
    sys.stderr.flush()
    sys.exit(-1)


sys.excepthook = excepthook

_sandq_length, _, _sandq_rest = sys.stdin.buffer.read().partition(b"\n")
_sandq_preload = _sandq_rest[:int(_sandq_length)].decode("utf-8")
code = _sandq_rest[int(_sandq_length):].decode("utf-8")
del _sandq_length, _sandq_rest
if _sandq_preload:
    exec(compile(_sandq_preload, "<preload>", "exec"))
del _sandq_preload

exec(compile(code, "<fd3>", "exec"))
