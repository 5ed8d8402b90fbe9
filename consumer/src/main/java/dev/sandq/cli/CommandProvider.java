package dev.sandq.cli;

import java.util.List;

/**
 * Subcommands that only some distributions of {@code sandq} carry: the development commands of
 * the sandq-devkit module ({@code up}, {@code bench}, ...), which need the embedded broker and
 * the benchmarks. {@link Main} finds the providers on the class path at run time with
 * {@link java.util.ServiceLoader} (a provider is named in
 * {@code META-INF/services/dev.sandq.cli.CommandProvider}), so the production jar depends on none
 * of them: with devkit on the class path (the {@code sandq} script) they are there, without it
 * (the image) {@link Main} says what to use instead.
 */
public interface CommandProvider {
    /**
     * The commands to add below {@code sandq}: classes annotated with picocli's {@code @Command},
     * or instances of them. Their names must not be those of the built-in commands.
     */
    List<Object> commands();
}
