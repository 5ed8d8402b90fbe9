package dev.sandq.executor.corpus;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Whether this host's kernel runs 32-bit system calls ({@code int 0x80}) of 64-bit processes:
 * kernels built without IA32 emulation, or booted with {@code ia32_emulation=0}, answer the
 * instruction with a general protection fault (SIGSEGV) before seccomp sees a system call.
 * Asked once, of the kernel itself: the host's Python, outside any sandbox, makes the call.
 */
final class Ia32Emulation {
    private static final String PYTHON = "/usr/bin/python3";
    /** getpid through int 0x80 (20 on i386): exit 0 when it answers with our pid. */
    private static final String PROBE = String.join("\n",
            "import ctypes, mmap, os",
            "code = bytes([0xB8, 20, 0, 0, 0, 0xCD, 0x80, 0xC3])",
            "buf = mmap.mmap(-1, mmap.PAGESIZE, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)",
            "buf.write(code)",
            "fn = ctypes.CFUNCTYPE(ctypes.c_int)(ctypes.addressof(ctypes.c_char.from_buffer(buf)))",
            "raise SystemExit(0 if fn() == os.getpid() else 1)");
    /** What Java reports for a process killed by SIGSEGV: 128 + 11. */
    private static final int KILLED_BY_SIGSEGV = 128 + 11;

    private static Boolean available;

    private Ia32Emulation() {
    }

    static synchronized boolean available() {
        if (available == null) {
            available = probe();
        }
        return available;
    }

    private static boolean probe() {
        try {
            Process p = new ProcessBuilder(List.of(PYTHON, "-I", "-S", "-c", PROBE))
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("the IA32 emulation probe did not finish within 30 s");
            }
            return switch (p.exitValue()) {
                case 0 -> true;
                case KILLED_BY_SIGSEGV -> false;
                default -> throw new IllegalStateException("the IA32 emulation probe (" + PYTHON + ") exited "
                        + p.exitValue() + ", neither 0 (emulated) nor killed by SIGSEGV (refused): " + output);
            };
        } catch (IOException e) {
            throw new IllegalStateException("cannot run the IA32 emulation probe with " + PYTHON, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while probing IA32 emulation", e);
        }
    }
}
