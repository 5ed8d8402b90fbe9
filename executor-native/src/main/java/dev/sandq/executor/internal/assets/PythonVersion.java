package dev.sandq.executor.internal.assets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The "3.11" of a python3 interpreter, read from the name its symlinks resolve to. */
final class PythonVersion {
    private static final Pattern NAME = Pattern.compile("python(3\\.\\d+)$");

    private PythonVersion() {
    }

    static String of(Path interpreter) {
        Path real;
        try {
            real = interpreter.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("python3 interpreter " + interpreter + " does not exist", e);
        }
        Matcher m = NAME.matcher(real.getFileName().toString());
        if (!m.find() || !Files.isDirectory(Path.of("/usr/lib/python" + m.group(1)))) {
            throw new IllegalArgumentException("cannot tell the version of python3 interpreter " + interpreter
                    + " (resolves to " + real + "; expected pythonX.Y with /usr/lib/pythonX.Y)");
        }
        return m.group(1);
    }
}
