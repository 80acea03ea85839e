package org.onyxrpc.idl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.idl.compat.CompatibilityChecker;
import org.onyxrpc.idl.fromjava.JavaToIdl;
import org.onyxrpc.idl.source.CompilerOptions;

/**
 * Java → .idl → Java: a realistic catalog service (records, enums, a sealed result type,
 * exceptions, lists, byte and long arrays, nullable fields) is turned into .idl by from-java,
 * compiled by idlc, and its ORIGINAL implementation compiled against the generated interface and
 * served over loopback.
 */
class JavaFirstRoundTripTest {
  private static final Path CATALOG = Golden.resources().resolve("fromjava/catalog");
  private static final Path MODEL = CATALOG.resolve("com/example/catalog");

  @TempDir Path temp;

  private static List<Path> model() throws Exception {
    try (Stream<Path> files = Files.list(MODEL)) {
      return files.filter(p -> !p.getFileName().toString().equals("CatalogImpl.java")).sorted()
          .toList();
    }
  }

  private JavaToIdl.IdlFile catalogIdl() throws Exception {
    JavaToIdl.Result result = JavaToIdl.convert(CATALOG, model());
    assertEquals("", result.diagnostics().format());
    assertEquals(1, result.files().size());
    return result.files().get(0);
  }

  @Test
  void writesTheIdlOfTheCatalog() throws Exception {
    JavaToIdl.IdlFile idl = catalogIdl();
    assertEquals("com/example/catalog/catalog.idl", idl.path());
    Path expected = Golden.resources().resolve("fromjava/expected/catalog.idl");
    if (Golden.update()) {
      Files.createDirectories(expected.getParent());
      Files.writeString(expected, idl.content(), StandardCharsets.UTF_8);
    }
    assertEquals(Files.readString(expected, StandardCharsets.UTF_8), idl.content());
  }

  /** Procedure numbers come from annotations, so reordering methods does not change the wire. */
  @Test
  void reorderingTheMethodsKeepsTheWire() throws Exception {
    Path reordered = temp.resolve("reordered/com/example/catalog");
    Files.createDirectories(reordered);
    for (Path file : model()) {
      Files.copy(file, reordered.resolve(file.getFileName()));
    }
    String catalog = Files.readString(reordered.resolve("Catalog.java"));
    int first = catalog.indexOf("  /** The item with that SKU. */");
    int second = catalog.indexOf("  /** Looks an item up");
    int end = catalog.lastIndexOf("}");
    String swapped = catalog.substring(0, first) + catalog.substring(second, end)
        + "\n" + catalog.substring(first, second).stripTrailing() + "\n}\n";
    Files.writeString(reordered.resolve("Catalog.java"), swapped);
    JavaToIdl.Result after;
    try (Stream<Path> files = Files.list(reordered)) {
      after = JavaToIdl.convert(temp.resolve("reordered"), files.sorted().toList());
    }
    assertEquals("", after.diagnostics().format());
    assertTrue(after.files().get(0).content().indexOf("lookup(") < after.files().get(0).content()
        .indexOf("item("), "the methods were reordered");
    Path oldIdl = temp.resolve("v1/catalog.idl");
    Path newIdl = temp.resolve("v2/catalog.idl");
    Files.createDirectories(oldIdl.getParent());
    Files.createDirectories(newIdl.getParent());
    Files.writeString(oldIdl, catalogIdl().content());
    Files.writeString(newIdl, after.files().get(0).content());
    CompatibilityChecker.Result compat = CompatibilityChecker.check(temp, oldIdl, newIdl,
        CompilerOptions.includes(List.of()));
    assertEquals("", compat.report().orElseThrow().format(true, true));
  }

  @Test
  void theOriginalJavaCompilesOnItsOwn() throws Exception {
    Map<String, String> sources = new TreeMap<>();
    for (Path file : model()) {
      sources.put("com/example/catalog/" + file.getFileName(), Files.readString(file));
    }
    sources.put("com/example/catalog/CatalogImpl.java", Files.readString(
        MODEL.resolve("CatalogImpl.java")));
    sources.put("com/example/wire/Wire.java", Files.readString(
        CATALOG.resolve("com/example/wire/Wire.java")));
    JavaSources.compile(sources, temp);
  }

  @Test
  @Timeout(120)
  void theOriginalImplementationCompilesAgainstTheGeneratedInterfaceAndServes() throws Exception {
    JavaToIdl.IdlFile idl = catalogIdl();
    Path idlFile = temp.resolve("idl").resolve(idl.path());
    Files.createDirectories(idlFile.getParent());
    Files.writeString(idlFile, idl.content(), StandardCharsets.UTF_8);
    IdlCompiler.Result compiled = IdlCompiler.compile(temp.resolve("idl"), List.of(),
        List.of(idlFile));
    assertTrue(compiled.succeeded(), compiled.diagnostics().format());
    assertEquals("", compiled.diagnostics().format(), "no warnings either");

    Map<String, String> sources = new TreeMap<>();
    compiled.sources().forEach(s -> sources.put(s.path(), s.content()));
    // The method's @param, @return and @throws tags come back on the generated interface.
    String holder = sources.get("com/example/catalog/CatalogV1.java");
    assertTrue(holder.contains("* @param count how many units, more than zero\n"), holder);
    assertTrue(holder.contains("* @return the units left\n"), holder);
    assertTrue(holder.contains("* @throws NotFound when no item has that SKU\n"), holder);
    assertTrue(holder.contains("* @throws OutOfStock when fewer than count\n"
        + "     * units are left\n"), holder);
    assertTrue(holder.contains("* @return a future of the result: the units left\n"), holder);
    // The one change to the implementation: Catalog is now CatalogV1.Catalog.
    String impl = Files.readString(MODEL.resolve("CatalogImpl.java"), StandardCharsets.UTF_8)
        .replace("package com.example.catalog;\n",
            "package com.example.catalog;\n\nimport com.example.catalog.CatalogV1.Catalog;\n");
    sources.put("com/example/catalog/CatalogImpl.java", impl);
    sources.put("com/example/catalog/CatalogScenario.java", Files.readString(
        Golden.resources().resolve("fromjava/scenario/CatalogScenario.java")));
    Path classes = JavaSources.compile(sources, temp.resolve("java"));
    try (URLClassLoader loader = JavaSources.loader(classes)) {
      Callable<?> scenario = (Callable<?>) loader.loadClass("com.example.catalog.CatalogScenario")
          .getDeclaredConstructor().newInstance();
      assertEquals("ok", scenario.call());
    }
  }
}
