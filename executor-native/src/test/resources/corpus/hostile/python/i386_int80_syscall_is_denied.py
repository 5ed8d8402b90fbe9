# expect: syscall_denied
# expect-without-ia32: killed SIGSEGV SIGSYS
# stdout: calling getpid through int 0x80
# The 32-bit ABI (int 0x80) has other syscall numbers: a filter that checks only numbers and not
# the architecture lets through whatever the 64-bit number means on i386. The filter must deny
# every non-native ABI. The machine code runs from an anonymous executable mapping.
# What must hold is that the call never runs (the exact stdout: nothing after the first line).
# A kernel with IA32 emulation hands the call to seccomp, which denies it; a kernel without it
# (6.18 on Firecracker, or booted with ia32_emulation=0) refuses the instruction first with a
# general protection fault, and the job is killed by SIGSEGV (SIGSYS would be seccomp's kill).
import ctypes
import mmap

code = bytes([0xB8, 20, 0, 0, 0,  # mov eax, 20 (getpid on i386)
              0xCD, 0x80,         # int 0x80
              0xC3])              # ret
buf = mmap.mmap(-1, mmap.PAGESIZE, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
buf.write(code)
addr = ctypes.addressof(ctypes.c_char.from_buffer(buf))
fn = ctypes.CFUNCTYPE(ctypes.c_int)(addr)
print("calling getpid through int 0x80", flush=True)
print("came back:", fn(), flush=True)
raise SystemExit(3)
