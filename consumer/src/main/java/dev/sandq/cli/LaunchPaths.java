package dev.sandq.cli;

import dev.sandq.executor.Language;
import dev.sandq.executor.LaunchPath;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The values of --launch-path: {@code LANG:PATH} for one language, {@code PATH} for every language. */
final class LaunchPaths {
    private LaunchPaths() {
    }

    /** @throws IllegalArgumentException naming the bad entry */
    static Map<Language, LaunchPath> parse(List<String> entries) {
        Map<Language, LaunchPath> pinned = new EnumMap<>(Language.class);
        for (String raw : entries) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int colon = entry.indexOf(':');
            LaunchPath path = LaunchPath.fromWireName(entry.substring(colon + 1));
            if (colon < 0) {
                for (Language language : Language.values()) {
                    pinned.put(language, path);
                }
            } else {
                String lang = entry.substring(0, colon);
                pinned.put(Language.fromWireName(lang).orElseThrow(() -> new IllegalArgumentException(
                        "unknown language '" + lang + "' in launch path '" + raw + "' (expected python3 or nodejs)")),
                        path);
            }
        }
        return pinned;
    }
}
