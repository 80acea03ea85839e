package org.onyxrpc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Data flows one way through the command: {@code org.onyxrpc.cli} (main) → {@code command} →
 * {@code json} → {@code schema}; {@code json} and {@code schema} know nothing of the command line,
 * and no two packages depend on each other.
 */
class LayersTest {
  private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
  private static final Pattern REFERENCE = Pattern.compile("\\b(org\\.onyxrpc\\.cli(?:\\.[a-z]\\w*)*)\\.[A-Z]");
  private static final List<String> ORDER = List.of(
      "org.onyxrpc.cli", "org.onyxrpc.cli.command", "org.onyxrpc.cli.json", "org.onyxrpc.cli.schema");

  @Test
  void eachPackageUsesOnlyThoseAfterIt() throws IOException {
    Map<String, TreeSet<String>> uses = new TreeMap<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String text = Files.readString(file);
        Matcher p = PACKAGE.matcher(text);
        p.find();
        String from = p.group(1);
        Matcher r = REFERENCE.matcher(text);
        while (r.find()) {
          if (!r.group(1).equals(from) && ORDER.indexOf(r.group(1)) <= ORDER.indexOf(from)) {
            uses.computeIfAbsent(from, k -> new TreeSet<>()).add(r.group(1) + " in " + file.getFileName());
          }
        }
      }
    }
    assertEquals(Map.of(), uses, "references against the flow " + ORDER);
  }
}
