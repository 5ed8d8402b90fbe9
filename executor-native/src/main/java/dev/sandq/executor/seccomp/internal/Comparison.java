package dev.sandq.executor.seccomp.internal;

/** One struct scmp_arg_cmp: argument index, SCMP_CMP_* operator, datum_a, datum_b. */
public record Comparison(int argIndex, int op, long datumA, long datumB) {}
