package org.onyxrpc.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The integration test {@code src/it/readme} is the project a user gets by pasting the README's
 * "Add the runtime and the plugin" blocks into an empty pom: its pom must be exactly those blocks
 * in the places they go, so that the IT building it proves the README works as shown.
 */
class ReadmeProjectTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final String IT_POM = "maven-plugin/src/it/readme/pom.xml";
  private static final Pattern BLOCK = Pattern.compile(
      "<!-- from " + Pattern.quote(IT_POM) + " -->\\n```xml\\n(.*?)```", Pattern.DOTALL);

  /** The pom around the blocks: the coordinates a user's project has anyway, and the wrappers. */
  private static final String SKELETON = """
      <?xml version="1.0" encoding="UTF-8"?>
      <!--
        A user's project made of the README's "Add the runtime and the plugin" blocks and nothing else
        (ReadmeProjectTest keeps it so), built by the Maven that runs the build with its default plugins.
        setup.groovy copies the calculator's IDL and Java in from examples/.
      -->
      <project xmlns="http://maven.apache.org/POM/4.0.0"
               xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
               xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
        <modelVersion>4.0.0</modelVersion>
        <groupId>com.example</groupId>
        <artifactId>calculator</artifactId>
        <version>1.0</version>

      %s

        <dependencies>
      %s
        </dependencies>

        <build>
          <plugins>
      %s
          </plugins>
        </build>
      </project>
      """;

  @Test
  void theReadmeProjectsPomIsExactlyTheReadmeBlocks() throws IOException {
    List<String> blocks = new ArrayList<>();
    Matcher block = BLOCK.matcher(Files.readString(ROOT.resolve("README.md")));
    while (block.find()) {
      blocks.add(block.group(1));
    }
    assertEquals(3, blocks.size(), "README.md: the properties, dependencies and plugin blocks from " + IT_POM);

    String expected = SKELETON.formatted(indent(blocks.get(0), 2), indent(blocks.get(1), 4), indent(blocks.get(2), 6));
    String actual = Files.readString(ROOT.resolve(IT_POM))
        .replace("@project.version@", property("onyx.version"))
        .replace("@slf4j.version@", property("slf4j.version"));
    assertEquals(expected, actual, IT_POM + " must be the README's blocks in this skeleton");
  }

  private static String indent(String block, int spaces) {
    String margin = " ".repeat(spaces);
    return block.lines().map(line -> line.isEmpty() ? line : margin + line).collect(Collectors.joining("\n"));
  }

  private static String property(String name) {
    String value = System.getProperty(name);
    if (value == null) {
      throw new IllegalStateException("-D" + name + " is set by the pom's surefire configuration");
    }
    return value;
  }
}
