# expect: ok
# stdout: no name leads to the precompiled programs
# stdout: no code compiled ahead is reachable
# A job forked from the zygote starts in the prestart bootstrap, which the zygote hands the programs
# it compiled ahead (SandboxConfig.precompiledPython; the corpus's sandbox has one). The bootstrap
# drops them before the job's code runs: nothing in the job's globals or in the frames below it
# leads to them. They are public programs, but what a job can reach of the bootstrap's machinery
# must stay what it was: its own code and source. On the other launch paths this holds trivially.
import sys

own = sys._getframe().f_code
names = []
codes = []
frame = sys._getframe()
while frame is not None:
    for scope in (frame.f_locals, frame.f_globals):
        for name, value in list(scope.items()):
            if "precompiled" in name:
                names.append(name)
            if isinstance(value, dict) and any(isinstance(key, tuple) and len(key) == 2 for key in value):
                names.append(name)
            if type(value).__name__ == "code" and value is not own and value.co_filename == own.co_filename:
                codes.append(name)
    frame = frame.f_back
print("no name leads to the precompiled programs" if not names else f"reachable through: {names}")
print("no code compiled ahead is reachable" if not codes else f"code objects in reach: {codes}")
