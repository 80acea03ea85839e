package org.onyxrpc.idl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.idl.compat.CompatReport;

/** {@code idlc check-compat}: exit status for CI, directories, --strict and --verbose. */
class CheckCompatCommandTest {
  private static final String ITEM = "package shop;\nstruct Item { string sku<16>; int stock; };\n";

  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void baseline() throws Exception {
    Files.createDirectories(dir.resolve("v1/shop"));
    Files.writeString(dir.resolve("v1/shop/item.idl"), ITEM);
    Files.createDirectories(dir.resolve("v2/shop"));
  }

  private int run(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "check-compat";
    System.arraycopy(args, 0, all, 1, args.length);
    return Idlc.run(all, dir, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void compatibleDirectoriesExitZeroAndPrintSafeChangesOnlyWhenVerbose() throws Exception {
    Files.writeString(dir.resolve("v2/shop/item.idl"), ITEM.replace("<16>", "<32>"));
    assertEquals(0, run("v1", "v2"), err());
    assertEquals("", out());
    assertEquals(0, run("--verbose", "v1", "v2"), err());
    assertEquals("v2/shop/item.idl:2:22: info: bound of field `sku` of `Item` raised from 16 to 32:"
        + " old readers still reject longer values, so send them only to new peers"
        + " (old: v1/shop/item.idl:2:22)\n", out());
  }

  @Test
  void aWireBreakExitsOne() throws Exception {
    Files.writeString(dir.resolve("v2/shop/item.idl"), ITEM.replace("int stock", "hyper stock"));
    assertEquals(1, run("v1/shop/item.idl", "v2/shop/item.idl"), err());
    assertEquals("v2/shop/item.idl:2:37: error: field `stock` of `Item` changed from `int` to"
        + " `hyper`: old and new peers encode it differently (old: v1/shop/item.idl:2:35)\n",
        out());
    // The findings say what breaks; the last line says what to do instead, once.
    assertEquals("idlc check-compat: 1 breaking change. " + CompatReport.WAY_OUT + "\n", err());
  }

  @Test
  void aSourceBreakUnderStrictDoesNotSuggestANewVersion() throws Exception {
    Files.writeString(dir.resolve("v2/shop/item.idl"), ITEM.replace("int stock", "int count"));
    assertEquals(1, run("--strict", "v1", "v2"), err());
    assertEquals("", err());
  }

  @Test
  void aSourceBreakWarnsAndFailsOnlyWhenStrict() throws Exception {
    Files.writeString(dir.resolve("v2/shop/item.idl"), ITEM.replace("stock", "count"));
    assertEquals(0, run("v1", "v2"), err());
    assertTrue(out().startsWith("v2/shop/item.idl:2:35: warning: field `stock` of `Item` renamed"),
        out());
    out.reset();
    assertEquals(1, run("--strict", "v1", "v2"), err());
    assertTrue(out().startsWith("v2/shop/item.idl:2:35: error: field `stock` of `Item` renamed"),
        out());
  }

  /**
   * A directory's rpcgen files named {@code .rpcl} (liblxi's vxi11core.rpcl) are checked as its
   * {@code .x} files are: they were skipped, both versions read as empty and a wire break passed.
   */
  @Test
  void rpclFilesInADirectoryAreChecked() throws Exception {
    Files.writeString(dir.resolve("v1/core.rpcl"), "struct link_parms { long lid; };\n");
    Files.writeString(dir.resolve("v2/shop/item.idl"), ITEM);
    Files.writeString(dir.resolve("v2/core.rpcl"), "struct link_parms { hyper lid; };\n");
    assertEquals(1, run("v1", "v2"), err());
    assertTrue(out().startsWith("v2/core.rpcl:1:"), out());
    assertTrue(out().contains("error: field `lid` of `link_parms` changed from `int` to `hyper`"), out());
  }

  /** A mistyped -I was silent, as it was to idlc before it warned: the same warning, and the check goes on. */
  @Test
  void warnsOfAnIncludeDirectoryThatIsNotOne() throws Exception {
    Files.writeString(dir.resolve("v2/shop/item.idl"), ITEM);
    assertEquals(0, run("-I", "nosuch", "v1", "v2"), err());
    assertEquals("idlc: warning: -I nosuch: no such directory\n", err());
  }

  @Test
  void usageAndInputErrorsExitTwo() throws Exception {
    assertEquals(2, run("v1"));
    assertEquals("idlc check-compat: expected OLD and NEW, got 1 input\n"
        + "Try 'idlc check-compat --help' for more information.\n", err());
    err.reset();
    assertEquals(2, run("v1", "missing"));
    assertEquals("idlc: cannot read missing: no such file or directory\n", err());
    err.reset();
    Path elsewhere = dir.getParent().resolve("elsewhere-" + dir.getFileName()).toAbsolutePath();
    assertEquals(2, run("v1", elsewhere.toString()));
    assertEquals("idlc: cannot read " + elsewhere + ": no such file or directory\n", err());
    err.reset();
    Files.writeString(dir.resolve("v2/shop/item.idl"), "struct Item { Nope x; };\n");
    assertEquals(2, run("v1", "v2"));
    assertEquals("v2/shop/item.idl:1:15: error: unknown type 'Nope'\n  in struct Item"
        + " (v2/shop/item.idl:1:8)\nidlc: cannot compare: fix the errors above first\n", err());
    assertEquals(0, run("--help"));
    assertTrue(out().startsWith("Usage: idlc check-compat"));
  }
}
