package org.onyxrpc.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Snippets of the repository's README.md and the test code they come from, so a test can show
 * that a README snippet is its own code (used by onyx-micrometer's and onyx-opentelemetry's tests).
 */
public final class ReadmeSnippets {
  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL);

  private ReadmeSnippets() {}

  /** The java block of the README's {@code ## section} whose first line starts with {@code start}. */
  public static String block(String section, Path source, String start) throws IOException {
    Pattern sectionPattern =
        Pattern.compile("\n## " + Pattern.quote(section) + "\n(.*?)(\n## |\\z)", Pattern.DOTALL);
    Matcher text = sectionPattern.matcher(Files.readString(readme()));
    if (!text.find()) {
      throw new AssertionError("README.md has no " + section + " section");
    }
    Matcher block = JAVA_BLOCK.matcher(text.group(1));
    while (block.find()) {
      if (block.group(1).startsWith(start)) {
        return block.group(1).strip();
      }
    }
    throw new AssertionError("README.md's " + section + " section has no java block starting "
        + start + "; it should be the one in " + source);
  }

  /** The lines between {@code // README:begin} and {@code // README:end}, de-indented. */
  public static String region(Path source) throws IOException {
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
