package dev.sandq.executor.internal;

import dev.sandq.executor.Language;
import dev.sandq.executor.SandboxLimits;

/** What a prestarted sandbox is built for: the language and every limit (no network). */
record PrestartKey(Language language, SandboxLimits limits) {
}
