package org.onyxrpc.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Eclipse (m2e) runs a goal on its builds only when the plugin's lifecycle mapping names it; an
 * unnamed one is flagged "not covered" and never run. from-java was unnamed, so in Eclipse the
 * {@code .idl} files the Java-first {@code generate} reads were never written and its stubs were
 * missing; check-compat was flagged too. Every goal is named: the ones that write sources run on
 * incremental builds, the check is ignored (the command-line build runs it).
 */
class LifecycleMappingTest {
  @Test
  void everyGoalIsMappedForEclipse() throws Exception {
    Map<String, String> goals = new TreeMap<>();
    NodeList declared = read(Path.of("target/classes/META-INF/maven/plugin.xml")).getElementsByTagName("goal");
    for (int i = 0; i < declared.getLength(); i++) {
      goals.put(declared.item(i).getTextContent().strip(), "unmapped");
    }
    NodeList executions = read(Path.of("src/main/resources/META-INF/m2e/lifecycle-mapping-metadata.xml"))
        .getElementsByTagName("pluginExecution");
    for (int i = 0; i < executions.getLength(); i++) {
      Element execution = (Element) executions.item(i);
      Element action = (Element) execution.getElementsByTagName("action").item(0);
      String what = action.getElementsByTagName("ignore").getLength() > 0 ? "ignore"
          : "execute runOnIncremental=" + action.getElementsByTagName("runOnIncremental").item(0).getTextContent();
      NodeList mapped = execution.getElementsByTagName("goal");
      for (int j = 0; j < mapped.getLength(); j++) {
        goals.put(mapped.item(j).getTextContent().strip(), what);
      }
    }
    assertEquals(Map.of(
        "check-compat", "ignore",
        "from-java", "execute runOnIncremental=true",
        "generate", "execute runOnIncremental=true",
        "generate-test", "execute runOnIncremental=true"), goals);
  }

  private static Element read(Path file) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile()).getDocumentElement();
  }
}
