package org.onyxrpc.xdr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * The reference encodings in {@code xdr-vectors.tsv} (made by libtirpc from {@code vectors.x}),
 * one {@code name<TAB>hex} a line. The XDR tests take the data-type lines, the RPC tests the
 * message lines; each fails on a line it has no case for, so no line goes unchecked.
 */
public final class ConformanceVectors {
  /** The resource the lines come from. */
  public static final String RESOURCE = "/xdr-vectors.tsv";

  /** One line of the file. */
  public record Line(int number, String name, String hex) {}

  private ConformanceVectors() {}

  /** Lines of ONC RPC call and reply headers: the RPC layer's share of the file. */
  public static boolean isRpcMessage(String name) {
    return name.startsWith("call header ") || name.startsWith("reply ");
  }

  /** Every line, checked for shape: two fields, lower-case whole-unit hex, names unique. */
  public static List<Line> all() {
    List<Line> lines = new ArrayList<>();
    Set<String> names = new HashSet<>();
    try (InputStream stream = ConformanceVectors.class.getResourceAsStream(RESOURCE)) {
      assertNotNull(stream, RESOURCE + " missing from the test resources");
      BufferedReader reader =
          new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
      int number = 0;
      for (String text = reader.readLine(); text != null; text = reader.readLine()) {
        number++;
        String[] fields = text.split("\t", -1);
        assertEquals(2, fields.length, "line " + number + " is not name<TAB>hex: " + text);
        assertTrue(fields[1].matches("([0-9a-f]{8})+"),
            "line " + number + " is not whole 4-byte units of hex: " + fields[1]);
        assertTrue(names.add(fields[0]), "line " + number + " repeats the name " + fields[0]);
        lines.add(new Line(number, fields[0], fields[1]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertTrue(lines.size() > 0, RESOURCE + " is empty");
    return lines;
  }

  /** The lines {@code share} selects. */
  public static List<Line> select(Predicate<String> share) {
    return all().stream().filter(line -> share.test(line.name())).toList();
  }

  /**
   * One dynamic test per selected line: the line's case must exist and pass both ways. A line
   * with no case fails by name, so adding a vector without a test cannot go unnoticed.
   */
  public static Stream<DynamicTest> tests(
      Predicate<String> share, Map<String, ? extends VectorCase<?>> cases) {
    return select(share).stream()
        .map(line -> DynamicTest.dynamicTest(line.number() + ": " + line.name(), () -> {
          VectorCase<?> c = cases.get(line.name());
          assertNotNull(c, "no test case for vector line " + line.number() + ": " + line.name());
          c.check(line.hex());
        }));
  }

  /** Asserts that {@code cases} and the selected lines name exactly the same vectors. */
  public static void assertCasesMatchLines(
      Predicate<String> share, Map<String, ? extends VectorCase<?>> cases) {
    List<String> lineNames = select(share).stream().map(Line::name).toList();
    Set<String> untested = new TreeSet<>(lineNames);
    untested.removeAll(cases.keySet());
    Set<String> stale = new TreeSet<>(cases.keySet());
    stale.removeAll(lineNames);
    assertEquals(Set.of(), untested, "vector lines without a test case");
    assertEquals(Set.of(), stale, "test cases without a vector line");
    assertEquals(lineNames.size(), cases.size());
  }
}
