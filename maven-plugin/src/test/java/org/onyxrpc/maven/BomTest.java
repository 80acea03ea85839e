package org.onyxrpc.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * onyx-bom manages every artifact the build publishes (every module with a sources jar, that is,
 * not setting {@code maven.source.skip}), each at {@code ${project.version}}, and the bom itself,
 * which has no parent, is at the reactor's version.
 */
class BomTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void theBomManagesEveryPublishedArtifactAtTheReactorsVersion() throws Exception {
    Element parent = read(ROOT.resolve("pom.xml"));
    Element bom = read(ROOT.resolve("bom/pom.xml"));
    assertEquals(text(parent, "version"), text(bom, "version"), "bom/pom.xml <version>");

    TreeSet<String> published = new TreeSet<>();
    for (Element module : children(child(parent, "modules"), "module")) {
      Element pom = read(ROOT.resolve(module.getTextContent()).resolve("pom.xml"));
      Element properties = child(pom, "properties");
      boolean skipsSources = properties != null && "true".equals(text(properties, "maven.source.skip"));
      if (!"pom".equals(text(pom, "packaging")) && !skipsSources) {
        published.add(text(pom, "artifactId"));
      }
    }

    TreeSet<String> managed = new TreeSet<>();
    for (Element dependency : children(child(child(bom, "dependencyManagement"), "dependencies"), "dependency")) {
      assertEquals("org.onyxrpc", text(dependency, "groupId"));
      assertEquals("${project.version}", text(dependency, "version"), text(dependency, "artifactId"));
      managed.add(text(dependency, "artifactId"));
    }
    assertEquals(published, managed, "bom/pom.xml manages exactly the published artifacts");
  }

  private static Element read(Path pom) throws Exception {
    Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    return document.getDocumentElement();
  }

  private static String text(Element parent, String name) {
    Element child = child(parent, name);
    return child == null ? null : child.getTextContent().trim();
  }

  private static Element child(Element parent, String name) {
    List<Element> found = children(parent, name);
    return found.isEmpty() ? null : found.get(0);
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      Node node = nodes.item(i);
      if (node instanceof Element element && element.getTagName().equals(name)) {
        found.add(element);
      }
    }
    return found;
  }
}
