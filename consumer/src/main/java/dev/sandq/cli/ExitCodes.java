package dev.sandq.cli;

/** The exit codes of every sandq command. */
public final class ExitCodes {
    /** The command did its work (for exec: the job ran, whatever its status). */
    public static final int OK = 0;
    /** sandq itself failed unexpectedly (a bug, or an I/O error outside the job). */
    public static final int SOFTWARE = 1;
    /** Bad usage: unknown option, missing argument, unreadable or invalid input file. */
    public static final int USAGE = 2;
    /** The sandbox cannot isolate jobs on this host as configured. */
    public static final int UNAVAILABLE = 3;

    private ExitCodes() {
    }
}
