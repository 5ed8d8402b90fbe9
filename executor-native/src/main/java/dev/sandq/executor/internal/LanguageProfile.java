package dev.sandq.executor.internal;

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
 * @param interpreter  host path of the interpreter (symlinks allowed; bound as a file)
 * @param codePath     where the job's code is placed inside the sandbox
 * @param arguments    interpreter arguments before the code path
 * @param mounts       the read-only view
 * @param environment  the job's whole environment
 */
public record LanguageProfile(
        Language language,
        Path interpreter,
        String codePath,
        List<String> arguments,
        List<MountEntry> mounts,
        Map<String, String> environment) {

    public LanguageProfile {
        mounts = List.copyOf(mounts);
        arguments = List.copyOf(arguments);
        environment = Map.copyOf(environment);
    }

    /** Shared by both languages: loader, libraries, certificates, time zones, devices. */
    private static List<MountEntry> commonMounts() {
        return List.of(
                MountEntry.readOnly("/usr/lib/x86_64-linux-gnu"),
                MountEntry.readOnlyIfPresent("/usr/lib64"),
                MountEntry.symlink("usr/lib", "/lib"),
                MountEntry.symlink("usr/lib64", "/lib64"),
                // library alternatives (libblas for numpy): symlinks only, their targets are the libraries above
                MountEntry.readOnlyIfPresent("/etc/alternatives"),
                MountEntry.readOnlyIfPresent("/etc/ld.so.cache"),
                MountEntry.readOnlyIfPresent("/etc/ssl/certs"),
                MountEntry.readOnlyIfPresent("/etc/ssl/openssl.cnf"),
                MountEntry.readOnlyIfPresent("/usr/lib/ssl"),
                MountEntry.readOnlyIfPresent("/usr/share/ca-certificates"),
                MountEntry.readOnlyIfPresent("/usr/share/zoneinfo"),
                MountEntry.readOnlyIfPresent("/usr/lib/locale/C.utf8"),
                MountEntry.device("/dev/null"),
                MountEntry.device("/dev/zero"),
                MountEntry.device("/dev/full"),
                MountEntry.device("/dev/random"),
                MountEntry.device("/dev/urandom"));
    }

    private static final Map<String, String> BASE_ENVIRONMENT = Map.of(
            "PATH", "/usr/bin",
            "HOME", "/tmp",
            "TMPDIR", "/tmp",
            "LANG", "C.UTF-8",
            "TZ", "UTC");

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
        Map<String, String> env = new java.util.HashMap<>(BASE_ENVIRONMENT);
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        env.put("PYTHONIOENCODING", "utf-8");
        packagesRoot.ifPresent(root -> {
            mounts.add(new MountEntry(MountEntry.Kind.RO_BIND_TRY,
                    PackagesLayout.importRoot(PackagesLayout.hostRoot(root), Language.PYTHON3).toString(),
                    PackagesLayout.PYTHON_INSIDE));
            env.put("PYTHONPATH", PackagesLayout.PYTHON_INSIDE);
        });
        return new LanguageProfile(Language.PYTHON3, interpreter, "/sandbox/main.py",
                List.of("/usr/bin/python3", "-B"), mounts, env);
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
        packagesRoot.ifPresent(root -> mounts.add(new MountEntry(MountEntry.Kind.RO_BIND_TRY,
                PackagesLayout.importRoot(PackagesLayout.hostRoot(root), Language.NODEJS).toString(),
                PackagesLayout.NODE_MODULES_INSIDE)));
        Map<String, String> env = new java.util.HashMap<>(BASE_ENVIRONMENT);
        env.put("NODE_PATH", "/usr/lib/node_modules:/usr/share/nodejs");
        return new LanguageProfile(Language.NODEJS, interpreter, "/sandbox/main.js",
                List.of("/usr/bin/node"), mounts, env);
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
}
