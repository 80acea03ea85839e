package org.onyxrpc.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;

/**
 * Components reach the mojos by JSR-330 injection, not by the deprecated {@code @Component}
 * field requirement (which the plugin descriptor lists as {@code <requirements>}): check-compat
 * took its repository system that way.
 */
class InjectionTest {
  @Test
  void noMojoDeclaresAPlexusRequirement() throws Exception {
    var descriptor = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(Path.of("target/classes/META-INF/maven/plugin.xml").toFile());
    assertEquals(0, descriptor.getElementsByTagName("requirements").getLength());
  }
}
