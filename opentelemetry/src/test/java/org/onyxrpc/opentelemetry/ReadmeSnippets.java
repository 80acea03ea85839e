package org.onyxrpc.opentelemetry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Snippets of the README's Observability section and the test code they come from. */
final class ReadmeSnippets {
  private static final Pattern SECTION = Pattern.compile("\n## Observability\n(.*?)(\n## |\\z)", Pattern.DOTALL);
  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL);

  private ReadmeSnippets() {}

  /** The java block of the Observability section whose first line starts with {@code start}. */
  static String block(Path source, String start) throws IOException {
    Matcher section = SECTION.matcher(Files.readString(readme()));
    if (!section.find()) {
      throw new AssertionError("README.md has no Observability section");
    }
    Matcher block = JAVA_BLOCK.matcher(section.group(1));
    while (block.find()) {
      if (block.group(1).startsWith(start)) {
        return block.group(1).strip();
      }
    }
    throw new AssertionError("README.md's Observability section has no java block starting "
        + start + "; it should be the one in " + source);
  }

  /** The lines between {@code // README:begin} and {@code // README:end}, de-indented. */
  static String region(Path source) throws IOException {
    String text = Files.readString(source);
    String region = text.substring(text.indexOf("// README:begin\n") + 16,
        text.indexOf("    // README:end"));
    return region.lines().map(l -> l.length() >= 4 ? l.substring(4) : l.strip())
        .collect(Collectors.joining("\n")).strip();
  }

  private static Path readme() {
    Path dir = Path.of("").toAbsolutePath();
    while (!Files.exists(dir.resolve("README.md")) || !Files.exists(dir.resolve("runtime"))) {
      dir = dir.getParent();
    }
    return dir.resolve("README.md");
  }
}
