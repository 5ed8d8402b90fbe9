package dev.sandq.executor.internal.launch;

import dev.sandq.executor.Result;

/** How one launcher ended ({@code status}), and what that means for its job ({@code result}). */
public record LaunchOutcome(LauncherStatus status, Result result) {
}
