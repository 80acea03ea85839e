package org.onyxrpc.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code onyx describe} on files that declare no program. */
class DescribeTest {
  @TempDir Path dir;

  /**
   * Many published .x files are XDR only (Ganglia's gm_protocol.x, GlusterFS' glusterfs3-xdr.x):
   * describing one said nothing at all, as if the file had not been read.
   */
  @Test
  void aFileOfTypesOnlySaysItHasNoServices() throws Exception {
    Path types = Files.writeString(dir.resolve("gm.x"), """
        struct Ganglia_metric_id { string host<>; string name<>; bool spoof; };
        """);
    assertEquals("no services: the --idl files declare types only (onyx call needs a program)\n",
        PreludeTest.describe("--idl", types.toString()));
  }

  /** An empty file (or one of comments only) was said to declare types only, as idlc does not say. */
  @Test
  void aFileThatDeclaresNothingSaysSo() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.x"), "/* to be written */\n");
    assertEquals("no services: the --idl files declare nothing (onyx call needs a program)\n",
        PreludeTest.describe("--idl", empty.toString()));
  }

  /**
   * A signature reads as the IDL wrote it: a typedef by its name, bounds by their constant's.
   * Before, typedefs were replaced by what they name: {@code string<32><MAX_TAGS> LIST(string<32>
   * arg1)}, a type no one can write.
   */
  @Test
  void signaturesNameTypedefsAsWritten() throws Exception {
    Path tags = Files.writeString(dir.resolve("tags.x"), """
        const MAX_TAGS = 8;
        typedef string tag<32>;
        typedef tag label;
        struct point { int x; int y; };
        typedef point spot;
        program TAGS_PROG {
          version TAGS_VERS {
            tag<MAX_TAGS> LIST(tag) = 1;
            label *FIND(spot, unsigned int) = 2;
          } = 1;
        } = 0x20006670;
        """);
    assertEquals("""
        service TAGS_PROG (TAGS_PROG), program 0x20006670 (536897136)
          version 1
            1 LIST(tag arg1) -> tag<MAX_TAGS>  [at_most_once]
              -d '{"arg1":""}'
            2 FIND(spot arg1, unsigned int arg2) -> label*  [at_most_once]
              -d '{"arg1":{"x":0,"y":0},"arg2":0}'
        """, PreludeTest.describe("--idl", tags.toString()));
  }

  /** Program, version and procedure numbers are unsigned 32 bits: a procedure 0x80000001 read -2147483647. */
  @Test
  void numbersAbove2To31AreShownUnsigned() throws Exception {
    Path big = Files.writeString(dir.resolve("big.idl"), """
        package big;
        @program(0x80000401)
        service Big {
          version 0x80000002 { void poke() = 0x80000001; }
        }
        """);
    assertEquals("""
        service Big (big.Big), program 0x80000401 (2147484673)
          version 2147483650
            2147483649 poke() -> void  [at_most_once]
        """, PreludeTest.describe("--idl", big.toString()));
  }

  /**
   * A service without {@code @program} and a procedure without {@code = N} get numbers the
   * compiler derives, with a warning from idlc and the plugin; describe showed the derived
   * program number as if declared and said nothing. Now it prints those warnings (of the files
   * asked about) on standard error, as idlc does, and describes the file.
   */
  @Test
  void warnsOfNumbersTheFileLeftToTheCompiler() throws Exception {
    Path shop = Files.writeString(dir.resolve("shop.idl"), """
        package shop;
        service Shop {
          version 1 { hyper count() = 1; void reset(); }
        }
        """);
    CommandRun run = CommandRun.onyx("describe", "--idl", shop.toString());
    assertEquals(0, run.exit(), run.err());
    assertEquals("""
        %1$s:2:9: warning: service 'Shop' has no program number; derived 0x28742cc9 from its name (declare @program(N) to choose one)
        %1$s:3:39: warning: procedure 'reset' has no number; it gets 2 from its position, which changes if procedures are reordered (write '= 2')
        """.formatted(shop), run.err());
  }

  /**
   * A file with errors is told as idlc tells it: its warnings too, in line order among the errors.
   * Before, describe and call printed the errors alone, and a warning that explains one (here, that
   * RED and GREEN share a value) was shown only once the errors were fixed.
   */
  @Test
  void aFileWithErrorsHasItsWarningsToldToo() throws Exception {
    Path paint = Files.writeString(dir.resolve("paint.idl"), """
        package paint;
        enum Color { RED = 1, GREEN = 1 };
        @program(0x20000999)
        service Paint { version 1 { Shade mix(Color a, Color b) = 1; } }
        """);
    for (String command : new String[] {"describe", "call"}) {
      CommandRun run = command.equals("describe")
          ? CommandRun.onyx("describe", "--idl", paint.toString())
          : CommandRun.onyx("call", "localhost:1", "Paint.mix", "--idl", paint.toString());
      assertEquals(1, run.exit(), command + ": " + run);
      assertEquals("""
          %1$s:2:23: warning: 'GREEN' has the same value 1 as 'RED' in enum Color; decoding 1 gives RED
          %1$s:4:29: error: unknown type 'Shade'
            in procedure mix (%1$s:4:35)
          """.formatted(paint), run.err(), command);
    }
  }

  /** A mistyped -I was silent, as it was to idlc: now the same warning, and the run goes on. */
  @Test
  void warnsOfAnIncludeDirectoryThatIsNotOne() throws Exception {
    Path types = Files.writeString(dir.resolve("gm.x"), "struct metric { string host<>; };\n");
    CommandRun run = CommandRun.onyx("describe", "--idl", types.toString(), "-I", dir.resolve("nosuch").toString());
    assertEquals(0, run.exit(), run.err());
    assertEquals("onyx describe: warning: -I " + dir.resolve("nosuch") + ": no such directory\n", run.err());
    assertEquals("no services: the --idl files declare types only (onyx call needs a program)\n", run.out());
  }

  /**
   * A parameter reads as it is declared, its bound after its name ({@code string line<>}); it
   * read {@code string<> line}, which no IDL parser takes. A result is a type, and keeps its bound.
   */
  @Test
  void parametersReadAsDeclared() throws Exception {
    Path log = Files.writeString(dir.resolve("log.idl"), """
        package demo;
        const MAX = 8;
        typedef string tag<32>;
        struct point { int x; int y; };
        @program(0x20006671)
        service Log {
          version 1 {
            string<> append(string line<>, opaque digest[16], tag tags<MAX>, point *where, int n) = 1;
          }
        }
        """);
    assertEquals("""
        service Log (demo.Log), program 0x20006671 (536897137)
          version 1
            1 append(string line<>, opaque digest[16], tag tags<MAX>, point *where, int n) -> string<>  [at_most_once]
              -d '{"line":"","digest":"AAAAAAAAAAAAAAAAAAAAAA==","tags":[""],"where":null,"n":0}'
        """, PreludeTest.describe("--idl", log.toString()));
  }
}
