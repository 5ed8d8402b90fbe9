package dev.sandq.executor;

/**
 * The operator's limits on a job's files, the same for every job.
 *
 * @param maxInputFiles   input files a job may bring
 * @param maxInputBytes   their bytes together (decoded)
 * @param maxOutputFiles  output files returned; more are left out ({@code files_truncated})
 * @param maxOutputBytes  their bytes together (before base64); a file that would go past it is left out
 */
public record FileLimits(int maxInputFiles, long maxInputBytes, int maxOutputFiles, long maxOutputBytes) {

    private static final long MIB = 1024L * 1024L;

    /**
     * 100 input files of 8 MiB together (the job's /tmp holds 16 MiB by default); 64 output files of
     * 4 MiB together, 5.4 MiB in base64: with the default 1 MiB of stdout and stderr, a reply stays
     * well inside the reply topic's 16 MiB max.message.bytes.
     */
    public static final FileLimits DEFAULTS = new FileLimits(100, 8 * MIB, 64, 4 * MIB);

    public FileLimits {
        if (maxInputFiles < 0 || maxInputFiles > 10_000) {
            throw new IllegalArgumentException("maxInputFiles must be between 0 and 10000, got " + maxInputFiles);
        }
        if (maxInputBytes < 0) {
            throw new IllegalArgumentException("maxInputBytes must not be negative, got " + maxInputBytes);
        }
        if (maxOutputFiles < 0 || maxOutputFiles > 100_000) {
            throw new IllegalArgumentException("maxOutputFiles must be between 0 and 100000, got " + maxOutputFiles);
        }
        if (maxOutputBytes < 0 || maxOutputBytes > 1024 * MIB) {
            throw new IllegalArgumentException("maxOutputBytes must be between 0 and 1 GiB, got " + maxOutputBytes);
        }
    }
}
