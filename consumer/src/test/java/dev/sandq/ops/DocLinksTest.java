package dev.sandq.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.sandq.testing.Fast;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link of the documentation (README.md, ARCHITECTURE.md, docs/*.md) points at a
 * file or directory of the repository, and a link to a heading of a page ({@code page.md#anchor},
 * {@code #anchor}) at a heading that page has. Links in code blocks and code spans are not links.
 */
@Fast
class DocLinksTest {
    /** {@code [text](target)}, the target without spaces; an optional "title" after it. */
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern CODE_SPAN = Pattern.compile("`[^`]*`");

    @Test
    void everyRelativeLinkPointsAtAnExistingFileOrHeading() throws IOException {
        Path root = OpsFiles.root();
        List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md"), root.resolve("ARCHITECTURE.md")));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        List<String> broken = new ArrayList<>();
        int links = 0;
        for (Path page : pages) {
            for (String target : links(Files.readString(page))) {
                if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                    continue; // https:, mailto:
                }
                links++;
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path linked = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                String where = root.relativize(page) + ": " + target;
                if (!linked.startsWith(root) || !Files.exists(linked)) {
                    broken.add(where + " (no such file)");
                } else if (hash >= 0 && linked.toString().endsWith(".md")
                        && !anchors(Files.readString(linked)).contains(target.substring(hash + 1))) {
                    broken.add(where + " (no such heading in " + root.relativize(linked) + ")");
                }
            }
        }
        assertFalse(links == 0, "no relative links found: is the link pattern right?");
        assertEquals(List.of(), broken, "broken links");
    }

    /** The link targets of a Markdown page, outside fenced code blocks and code spans. */
    static List<String> links(String markdown) {
        List<String> targets = new ArrayList<>();
        boolean fenced = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            Matcher m = LINK.matcher(CODE_SPAN.matcher(line).replaceAll(""));
            while (m.find()) {
                targets.add(m.group(1));
            }
        }
        return targets;
    }

    /** The anchors GitHub gives a page's headings (a repeated heading's get -1, -2, ...). */
    static Set<String> anchors(String markdown) {
        Set<String> anchors = new HashSet<>();
        boolean fenced = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
            } else if (!fenced && line.matches("^#{1,6} .*")) {
                String anchor = ConfigurationReference.anchor(line.replaceFirst("^#+ ", "").strip());
                String unique = anchor;
                for (int n = 1; !anchors.add(unique); n++) {
                    unique = anchor + "-" + n;
                }
            }
        }
        return anchors;
    }
}
