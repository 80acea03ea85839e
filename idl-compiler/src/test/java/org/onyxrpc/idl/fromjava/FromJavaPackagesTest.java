package org.onyxrpc.idl.fromjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.idl.IdlCompiler;

/** Types of several Java packages: one .idl per package, importing each other as needed. */
class FromJavaPackagesTest {
  @TempDir Path dir;

  @Test
  void aPackageImportsTheIdlOfAnother() throws Exception {
    Files.createDirectories(dir.resolve("a/shop"));
    Files.createDirectories(dir.resolve("a/money"));
    Files.writeString(dir.resolve("a/money/Currency.java"),
        "package a.money;\n\n@NumberedInOrder\npublic enum Currency { EUR, USD }\n");
    Files.writeString(dir.resolve("a/shop/Price.java"), "package a.shop;\n\n"
        + "import a.money.Currency;\n\npublic record Price(long cents, Currency currency) {}\n");
    JavaToIdl.Result result = JavaToIdl.convert(dir, List.of(
        dir.resolve("a/money/Currency.java"), dir.resolve("a/shop/Price.java")));
    assertEquals("", result.diagnostics().format());
    assertEquals(List.of("a/money/money.idl", "a/shop/shop.idl"),
        result.files().stream().map(JavaToIdl.IdlFile::path).toList());
    assertTrue(result.files().get(1).content().contains("import \"../money/money.idl\";\n"),
        result.files().get(1).content());

    List<Path> written = new ArrayList<>();
    for (JavaToIdl.IdlFile file : result.files()) {
      Path target = dir.resolve("idl").resolve(file.path());
      Files.createDirectories(target.getParent());
      Files.writeString(target, file.content());
      written.add(target);
    }
    IdlCompiler.Result compiled = IdlCompiler.compile(dir.resolve("idl"), List.of(), written);
    assertEquals("", compiled.diagnostics().format());
    assertTrue(compiled.sources().stream().anyMatch(s -> s.path().equals("a/shop/Price.java")));
    assertTrue(compiled.sources().stream().anyMatch(s -> s.path().equals("a/money/Currency.java")));
  }
}
