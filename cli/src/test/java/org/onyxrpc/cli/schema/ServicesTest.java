package org.onyxrpc.cli.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.idl.schema.Schema;

/** {@code SERVICE.procedure} found in the versions asked for, and what a miss names. */
class ServicesTest {
  @TempDir Path dir;

  private Schema shop() throws Exception {
    Path idl = Files.writeString(dir.resolve("shop.idl"), """
        package com.acme.shop;
        @program(0x20001234)
        service Shop {
          version 1 { @idempotent int find(string name<>) = 1; }
          version 2 { @idempotent int find(string name<>) = 1; int take(string name<>) = 3; }
        }
        """);
    return IdlSchemas.load(dir, List.of(), List.of(idl));
  }

  @Test
  void theHighestVersionWithTheProcedureUnlessOneIsAsked() throws Exception {
    Schema schema = shop();
    assertEquals(2, Services.procedure(schema, "Shop.take", null).version().number());
    assertEquals(1, Services.procedure(schema, "Shop.find", 1).version().number());
  }

  /** A file of types only said "it has []", as if it had not been read. */
  @Test
  void aServiceAskedOfAFileOfTypesOnlySaysItHasNone() throws Exception {
    Path types = Files.writeString(dir.resolve("gm.x"), "struct metric { string host<>; };\n");
    Schema schema = IdlSchemas.load(dir, List.of(), List.of(types));
    assertEquals("no service METRIC_PROG in the IDL; it declares types only (onyx call needs a program)",
        assertThrows(IllegalArgumentException.class, () -> Services.service(schema, "METRIC_PROG")).getMessage());
    assertEquals("no service Shopp in the IDL; it has [Shop]",
        assertThrows(IllegalArgumentException.class, () -> Services.service(shop(), "Shopp")).getMessage());
  }

  @Test
  void aProcedureMissingFromTheVersionAskedForNamesThatVersion() throws Exception {
    Schema schema = shop();
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> Services.procedure(schema, "Shop.take", 1));
    assertEquals("Shop version 1 has no procedure take; it has [find]", missing.getMessage());
    IllegalArgumentException nowhere = assertThrows(IllegalArgumentException.class,
        () -> Services.procedure(schema, "Shop.drop", null));
    assertEquals("Shop has no procedure drop; it has [find, take]", nowhere.getMessage());
  }

  /** A procedure named without its service ('onyx call HOST take') said only what was expected. */
  @Test
  void aProcedureNamedWithoutItsServiceIsOfferedWithIt() throws Exception {
    Schema schema = shop();
    assertEquals("expected SERVICE.procedure, got take; did you mean Shop.take?",
        assertThrows(IllegalArgumentException.class, () -> Services.procedure(schema, "take", null)).getMessage());
    assertEquals("expected SERVICE.procedure, got FIND; did you mean Shop.find?",
        assertThrows(IllegalArgumentException.class, () -> Services.procedure(schema, "FIND", null)).getMessage());
    assertEquals("expected SERVICE.procedure, got drop",
        assertThrows(IllegalArgumentException.class, () -> Services.procedure(schema, "drop", null)).getMessage());
  }
}
