package dev.sandq.executor.internal.assets;

import dev.sandq.executor.Language;
import dev.sandq.executor.PackagesLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one language's sandbox contains: the interpreter, its shared libraries, its standard
 * library and installed packages (the system's, and the operator's from the packages root), CA certificates and zoneinfo, and nothing else: no shell,
 * no other binaries. Paths are host paths, bound at the same place inside.
 *
 * <p>The shared libraries are not listed here: they are the closure of what the interpreter and
 * the ELF modules under {@code extensionDirs} need (plus {@code dlopenLibraries}), computed on
 * the host once per worker ({@link LibraryClosure}) and added with {@link #withLibraries}.
 *
 * @param interpreter     host path of the interpreter (symlinks allowed; bound as a file)
 * @param codePath        where the job's code is placed inside the sandbox
 * @param arguments       interpreter arguments before the code path
 * @param mounts          the read-only view
 * @param environment     the job's whole environment
 * @param extensionDirs   host directories (bound in {@code mounts}) whose ELF modules (x.so,
 *                        x.node) the interpreter may load: their libraries must be present
 * @param dlopenLibraries libraries loaded by name at run time rather than through DT_NEEDED
 */
public record LanguageProfile(
        Language language,
        Path interpreter,
        String codePath,
        List<String> arguments,
        List<MountEntry> mounts,
        Map<String, String> environment,
        List<Path> extensionDirs,
        List<String> dlopenLibraries) {

    /**
     * glibc opens libgcc_s.so.1 itself to unwind a thread on pthread_cancel / pthread_exit
     * (Python's threads exit through pthread_exit at interpreter shutdown).
     */
    private static final List<String> LIBC_DLOPENS = List.of("libgcc_s.so.1");

    public LanguageProfile {
        mounts = List.copyOf(mounts);
        arguments = List.copyOf(arguments);
        environment = Map.copyOf(environment);
        extensionDirs = List.copyOf(extensionDirs);
        dlopenLibraries = List.copyOf(dlopenLibraries);
    }

    /** The same profile with the shared-library mounts in front of its own. */
    public LanguageProfile withLibraries(List<MountEntry> libraryMounts) {
        List<MountEntry> all = new ArrayList<>(libraryMounts);
        all.addAll(mounts);
        return new LanguageProfile(language, interpreter, codePath, arguments, all, environment, extensionDirs,
                dlopenLibraries);
    }

    /** The same profile with the mount at {@code target} bound from {@code source} instead. */
    public LanguageProfile withMountSource(String target, String source) {
        List<MountEntry> changed = mounts.stream()
                .map(m -> m.target().equals(target) ? new MountEntry(m.kind(), source, m.target()) : m)
                .toList();
        return new LanguageProfile(language, interpreter, codePath, arguments, changed, environment, extensionDirs,
                dlopenLibraries);
    }

    /** Where each mount lands inside the sandbox. */
    public List<String> mountTargets() {
        return mounts.stream().map(MountEntry::target).toList();
    }

    /** Shared by both languages: certificates, time zones, the locale, devices. */
    private static List<MountEntry> commonMounts() {
        return List.of(
                MountEntry.readOnlyIfPresent("/etc/ssl/certs"),
                MountEntry.readOnlyIfPresent("/etc/ssl/openssl.cnf"),
                // OpenSSL's own directory: only what it reads (not misc/, whose Perl scripts are tools)
                MountEntry.mirrorIfPresent("/usr/lib/ssl/openssl.cnf"),
                MountEntry.mirrorIfPresent("/usr/lib/ssl/cert.pem"),
                MountEntry.mirrorIfPresent("/usr/lib/ssl/certs"),
                MountEntry.readOnlyIfPresent("/usr/share/ca-certificates"),
                MountEntry.readOnlyIfPresent("/usr/share/zoneinfo"),
                MountEntry.readOnlyIfPresent("/usr/lib/locale/C.utf8"),
                MountEntry.device("/dev/null"),
                MountEntry.device("/dev/zero"),
                MountEntry.device("/dev/full"),
                MountEntry.device("/dev/random"),
                MountEntry.device("/dev/urandom"));
    }

    /**
     * Where a job leaves the files it returns ({@code SANDQ_OUTPUT_DIR}): in its working directory,
     * created by the launcher as the job's uid, read by it after the job (outputs.c).
     */
    public static final String OUTPUT_DIR = "/tmp/" + dev.sandq.executor.InputFiles.OUTPUT_DIR_NAME;

    private static final Map<String, String> BASE_ENVIRONMENT = Map.of(
            "PATH", "/usr/bin",
            "HOME", "/tmp",
            "TMPDIR", "/tmp",
            "LANG", "C.UTF-8",
            "TZ", "UTC",
            "SANDQ_OUTPUT_DIR", OUTPUT_DIR);

    public static LanguageProfile python3(Path interpreter) {
        return python3(interpreter, Optional.empty());
    }

    /** Python, with the operator's packages (if any) read-only on {@code PYTHONPATH}. */
    public static LanguageProfile python3(Path interpreter, Optional<Path> packagesRoot) {
        List<MountEntry> mounts = new ArrayList<>(commonMounts());
        mounts.add(new MountEntry(MountEntry.Kind.RO_BIND, interpreter.toString(), "/usr/bin/python3"));
        String version = PythonVersion.of(interpreter);
        mounts.add(MountEntry.readOnly("/usr/lib/python" + version));
        mounts.add(MountEntry.readOnlyIfPresent("/usr/lib/python3/dist-packages"));
        mounts.add(MountEntry.readOnlyIfPresent("/usr/local/lib/python" + version + "/dist-packages"));
        // Debian's matplotlib keeps its data (fonts, styles) here, not in dist-packages, and its
        // matplotlibrc in /etc.
        mounts.add(MountEntry.readOnlyIfPresent("/usr/share/matplotlib"));
        mounts.add(MountEntry.readOnlyIfPresent("/etc/matplotlibrc"));
        Map<String, String> env = new java.util.HashMap<>(BASE_ENVIRONMENT);
        // Charts without a display: the Agg backend, and matplotlib's font cache in the job's own
        // writable /tmp (its home's .config would do too; this says where, and keeps it out of the way).
        env.put("MPLBACKEND", "Agg");
        env.put("MPLCONFIGDIR", "/tmp/.matplotlib");
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        env.put("PYTHONIOENCODING", "utf-8");
        // One BLAS thread: OpenBLAS's pool busy-waits (burning the job's CPU-time limit), and
        // without a cgroup its per-thread buffers exceed RLIMIT_DATA and it spins instead of
        // failing. A job can still ask for more before it imports numpy.
        env.put("OPENBLAS_NUM_THREADS", "1");
        env.put("OMP_NUM_THREADS", "1");
        List<Path> extensionDirs = new ArrayList<>(List.of(Path.of("/usr/lib/python" + version),
                Path.of("/usr/lib/python3/dist-packages"), Path.of("/usr/local/lib/python" + version + "/dist-packages")));
        packagesRoot.ifPresent(root -> {
            Path installed = PackagesLayout.importRoot(PackagesLayout.hostRoot(root), Language.PYTHON3);
            mounts.add(new MountEntry(MountEntry.Kind.RO_BIND_TRY, installed.toString(), PackagesLayout.PYTHON_INSIDE));
            env.put("PYTHONPATH", PackagesLayout.PYTHON_INSIDE);
            extensionDirs.add(installed);
        });
        return new LanguageProfile(Language.PYTHON3, interpreter, "/sandbox/main.py",
                List.of("/usr/bin/python3", "-B"), mounts, env, extensionDirs, LIBC_DLOPENS);
    }

    public static LanguageProfile nodejs(Path interpreter) {
        return nodejs(interpreter, Optional.empty());
    }

    /** Node.js, with the operator's node_modules (if any) read-only at /node_modules. */
    public static LanguageProfile nodejs(Path interpreter, Optional<Path> packagesRoot) {
        List<MountEntry> mounts = new ArrayList<>(commonMounts());
        mounts.add(new MountEntry(MountEntry.Kind.RO_BIND, interpreter.toString(), "/usr/bin/node"));
        mounts.add(MountEntry.readOnlyIfPresent("/usr/share/nodejs"));
        mounts.add(MountEntry.readOnlyIfPresent("/usr/lib/node_modules"));
        List<Path> extensionDirs = new ArrayList<>(List.of(Path.of("/usr/share/nodejs"), Path.of("/usr/lib/node_modules")));
        packagesRoot.ifPresent(root -> {
            Path installed = PackagesLayout.importRoot(PackagesLayout.hostRoot(root), Language.NODEJS);
            mounts.add(new MountEntry(MountEntry.Kind.RO_BIND_TRY, installed.toString(), PackagesLayout.NODE_MODULES_INSIDE));
            extensionDirs.add(installed);
        });
        Map<String, String> env = new java.util.HashMap<>(BASE_ENVIRONMENT);
        env.put("NODE_PATH", "/usr/lib/node_modules:/usr/share/nodejs");
        return new LanguageProfile(Language.NODEJS, interpreter, "/sandbox/main.js",
                List.of("/usr/bin/node"), mounts, env, extensionDirs, LIBC_DLOPENS);
    }

    public static LanguageProfile forLanguage(Language language, Path interpreter) {
        return forLanguage(language, interpreter, Optional.empty());
    }

    public static LanguageProfile forLanguage(Language language, Path interpreter, Optional<Path> packagesRoot) {
        return switch (language) {
            case PYTHON3 -> python3(interpreter, packagesRoot);
            case NODEJS -> nodejs(interpreter, packagesRoot);
        };
    }

    /** The interpreter's command line inside the sandbox. */
    public List<String> commandLine() {
        List<String> argv = new ArrayList<>(arguments);
        argv.add(codePath);
        return argv;
    }

    /**
     * The command line of a prestarted sandbox: the interpreter runs the bootstrap, which waits for
     * the code on stdin, then it runs the code from {@link #codePath} (PrestartBootstrap).
     */
    public List<String> prestartCommandLine() {
        List<String> argv = new ArrayList<>(arguments);
        switch (language) {
            case PYTHON3 -> argv.addAll(List.of("-c", PrestartBootstrap.source(language)));
            case NODEJS -> argv.addAll(List.of("-r", PrestartBootstrap.DIR_INSIDE + "/" + PrestartBootstrap.fileName(language)));
        }
        argv.add(codePath);
        return argv;
    }
}
