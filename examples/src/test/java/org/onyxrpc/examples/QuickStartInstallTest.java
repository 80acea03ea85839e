package org.onyxrpc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A user builds a project of their own with the README's pom blocks after the quick start's
 * first command and nothing else, offline or not: that command ({@code -pl … -am install}) must
 * install every Onyx artifact those blocks name. It once installed the runtime and the plugin but
 * not {@code onyx-bom}, so the README's bom import failed with "Non-resolvable import POM".
 */
class QuickStartInstallTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern INSTALL = Pattern.compile("mvn -q -B -pl (\\S+) -am install -DskipTests");
  private static final Pattern POM_BLOCK = Pattern.compile(
      "<!-- from maven-plugin/src/it/[^ ]+/pom\\.xml -->\\n```xml\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern ONYX_ARTIFACT = Pattern.compile("<artifactId>(onyx-[a-z-]+)</artifactId>");
  /** Managed versions are no dependencies: {@code -am} does not build what they name. */
  private static final Pattern MANAGEMENT = Pattern.compile(
      "<(dependencyManagement|pluginManagement)>.*?</\\1>", Pattern.DOTALL);

  @Test
  void theQuickStartInstallsEveryArtifactTheReadmesPomBlocksName() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    Matcher install = INSTALL.matcher(readme);
    assertTrue(install.find(), "README.md: no quick start install command");

    Set<String> named = new TreeSet<>();
    Matcher block = POM_BLOCK.matcher(readme);
    while (block.find()) {
      Matcher artifact = ONYX_ARTIFACT.matcher(block.group(1));
      while (artifact.find()) {
        named.add(artifact.group(1));
      }
    }
    assertFalse(named.isEmpty(), "README.md: no pom blocks naming Onyx artifacts");

    Set<String> installed = alsoMake(List.of(install.group(1).split(",")));
    Set<String> missing = new TreeSet<>(named);
    missing.removeAll(installed);
    assertEquals(Set.of(), missing, "named by README.md's pom blocks but not installed by `" + install.group() + "`");
  }

  /** The artifacts Maven's {@code -pl MODULES -am} builds: the modules and, transitively, what they use. */
  private static Set<String> alsoMake(List<String> modules) throws IOException {
    Map<String, Path> moduleOf = new HashMap<>();
    try (Stream<Path> dirs = Files.list(ROOT)) {
      for (Path pom : dirs.map(d -> d.resolve("pom.xml")).filter(Files::isRegularFile).toList()) {
        moduleOf.put(ownArtifactId(pom), pom);
      }
    }
    moduleOf.put(ownArtifactId(ROOT.resolve("pom.xml")), ROOT.resolve("pom.xml"));
    Set<String> made = new TreeSet<>();
    Deque<Path> todo = new ArrayDeque<>();
    for (String module : modules) {
      todo.add(ROOT.resolve(module).resolve("pom.xml"));
    }
    while (!todo.isEmpty()) {
      Path pom = todo.remove();
      if (!made.add(ownArtifactId(pom))) {
        continue;
      }
      Matcher used = ONYX_ARTIFACT.matcher(MANAGEMENT.matcher(Files.readString(pom)).replaceAll(""));
      while (used.find()) {
        Path module = moduleOf.get(used.group(1));
        if (module != null) {
          todo.add(module);
        }
      }
    }
    return made;
  }

  /** The project's own artifactId: the first one after its parent block, if it has one. */
  private static String ownArtifactId(Path pom) throws IOException {
    String text = Files.readString(pom);
    int after = text.indexOf("</parent>");
    Matcher own = Pattern.compile("<artifactId>([^<]+)</artifactId>").matcher(text);
    assertTrue(own.find(Math.max(after, 0)), pom + ": no artifactId");
    return own.group(1);
  }
}
