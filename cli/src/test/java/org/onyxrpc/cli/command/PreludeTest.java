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
}
