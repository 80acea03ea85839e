package org.onyxrpc.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.cli.Onyx;
import picocli.CommandLine;

/**
 * A {@code .x} file cannot import: what it takes from another one (nis_callback.x from nis.x)
 * comes as a prelude, as with idlc, for describe and call alike.
 */
class PreludeTest {
  @TempDir Path dir;

  @Test
  void anRpcgenFileUsesTheTypesOfItsPrelude() throws Exception {
    Path types = Files.writeString(dir.resolve("types.x"), "struct thing { int id; string label<16>; };\n");
    Path service = Files.writeString(dir.resolve("things.x"),
        "program THINGS { version V1 { thing GET(int) = 1; } = 1; } = 0x20006666;\n");

    StringWriter err = new StringWriter();
    CommandLine without = Onyx.commandLine();
    without.setOut(new PrintWriter(new StringWriter(), true));
    without.setErr(new PrintWriter(err, true));
    assertEquals(1, without.execute("describe", "--idl", service.toString()));
    assertTrue(err.toString().contains("error: unknown type 'thing'"), err.toString());

    StringWriter out = new StringWriter();
    CommandLine with = Onyx.commandLine();
    with.setOut(new PrintWriter(out, true));
    assertEquals(0, with.execute("describe", "--idl", service.toString(), "--prelude", types.toString()));
    assertEquals("""
        service THINGS (THINGS), program 0x20006666 (536897126)
          version 1
            1 GET(int arg1) -> thing  [at_most_once]
              -d '{"arg1":0}'
        """, out.toString());
  }

  /**
   * A prelude that cannot be read is named as the prelude, as idlc names it: before, "onyx call:
   * cannot read missing.x: no such file" read as one of the --idl files.
   */
  @Test
  void aMissingPreludeIsNamedAsThePrelude() throws Exception {
    Path service = Files.writeString(dir.resolve("things.x"),
        "program THINGS { version V1 { int GET(int) = 1; } = 1; } = 0x20006666;\n");
    Path missing = dir.resolve("missing.x");
    for (String command : new String[] {"call", "describe"}) {
      StringWriter err = new StringWriter();
      CommandLine cl = Onyx.commandLine();
      cl.setOut(new PrintWriter(new StringWriter(), true));
      cl.setErr(new PrintWriter(err, true));
      int status = command.equals("call")
          ? cl.execute("call", "--idl", service.toString(), "--prelude", missing.toString(), "localhost:1", "THINGS.GET")
          : cl.execute("describe", "--idl", service.toString(), "--prelude", missing.toString());
      assertEquals(ExitCodes.USAGE, status, err.toString());
      assertEquals("onyx " + command + ": cannot read prelude " + missing + ": no such file",
          err.toString().strip());
    }
  }

  /**
   * Asked about nis_callback.x with nis.x as prelude, a user wants the callback program, not the
   * forty procedures of NIS_PROG first: a prelude's or an import's services are named at the
   * end, and described when asked for by name.
   */
  @Test
  void describeShowsTheNamedFilesServicesAndOnlyNamesThoseOfPreludesAndImports() throws Exception {
    Path types = Files.writeString(dir.resolve("types.x"), """
        struct thing { int id; };
        program TYPES_PROG { version V1 { thing FIRST(void) = 1; } = 1; } = 0x20006665;
        """);
    Path service = Files.writeString(dir.resolve("things.x"),
        "program THINGS { version V1 { thing GET(int) = 1; } = 1; } = 0x20006666;\n");
    assertEquals("""
        service THINGS (THINGS), program 0x20006666 (536897126)
          version 1
            1 GET(int arg1) -> thing  [at_most_once]
              -d '{"arg1":0}'
        service TYPES_PROG in imported files or preludes: add its name to describe it
        """, describe("--idl", service.toString(), "--prelude", types.toString()));
    assertEquals("""
        service TYPES_PROG (TYPES_PROG), program 0x20006665 (536897125)
          version 1
            1 FIRST() -> thing  [at_most_once]
        """, describe("--idl", service.toString(), "--prelude", types.toString(), "TYPES_PROG"));

    Files.writeString(dir.resolve("common.idl"), """
        package com.example.common;
        struct Id { int value; };
        @program(0x20006667) service Echo { version 1 { Id echo(Id id) = 1; } }
        @program(0x20006668) service Clock { version 1 { hyper now() = 1; } }
        """);
    Path app = Files.writeString(dir.resolve("app.idl"), """
        package com.example.app;
        import "common.idl";
        @program(0x20006669) service App { version 1 { void touch(Id id) = 1; } }
        """);
    assertEquals("""
        service App (com.example.app.App), program 0x20006669 (536897129)
          version 1
            1 touch(Id id) -> void  [at_most_once]
              -d '{"id":{"value":0}}'
        services Echo, Clock in imported files or preludes: add a name to describe one
        """, describe("--idl", app.toString()));
  }

  static String describe(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Onyx.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 1];
    all[0] = "describe";
    System.arraycopy(args, 0, all, 1, args.length);
    assertEquals(0, cl.execute(all), err.toString());
    return out.toString();
  }
}
