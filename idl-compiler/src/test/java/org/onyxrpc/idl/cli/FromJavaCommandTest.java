package org.onyxrpc.idl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code idlc from-java}: writes one .idl per package, which idlc then compiles. */
class FromJavaCommandTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Idlc.run(args, dir, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void writesIdlThatIdlcCompiles() throws Exception {
    Files.createDirectories(dir.resolve("src/p"));
    Files.writeString(dir.resolve("src/p/Greeter.java"), """
        package p;

        import java.util.Optional;

        /** Says hello. */
        @NumberedInOrder
        public interface Greeter {
          /** A greeting for {@code name}. */
          String greet(@Size(max = 32) String name);

          Optional<Greeting> last();
        }
        """);
    Files.writeString(dir.resolve("src/p/Greeting.java"), "package p;\n\n"
        + "public record Greeting(String text, @Nullable Integer count) implements Texted {}\n");
    // A mixin of records is not a service; an implementation among the inputs is ignored.
    Files.writeString(dir.resolve("src/p/Texted.java"),
        "package p;\n\npublic interface Texted {\n  String text();\n}\n");
    Files.writeString(dir.resolve("src/p/GreeterImpl.java"), "package p;\n\n"
        + "final class GreeterImpl implements Greeter {\n"
        + "  public String greet(String name) { return name; }\n"
        + "  public java.util.Optional<Greeting> last() { return java.util.Optional.empty(); }\n"
        + "}\n");
    assertEquals(0, run("from-java", "-o", "idl", "src/p/Greeter.java", "src/p/Greeting.java",
        "src/p/Texted.java", "src/p/GreeterImpl.java"), err());
    assertEquals("src/p/Greeter.java:11:3: warning: `Optional<Greeting>` becomes optional-data"
        + " `Greeting *`, whose generated Java is a nullable Greeting, not an Optional: code"
        + " calling isPresent() or get() on it must change\n", err());
    assertEquals("""
        // Written by idlc from-java from these files; edit them and run it again:
        //   src/p/Greeter.java
        //   src/p/Greeting.java
        package p;

        /** Says hello. */
        service Greeter {
          version 1 {
            /** A greeting for name. */
            string<> greet(string name<32>) = 1;
            Greeting * last() = 2;
          }
        }

        struct Greeting {
          string text<>;
          int *count;
        };
        """, Files.readString(dir.resolve("idl/p/p.idl")));
    err.reset();
    assertEquals(0, run("-o", "java", "idl/p/p.idl"), err());
    assertTrue(Files.isRegularFile(dir.resolve("java/p/GreeterV1.java")));
  }

  /**
   * idlc turns {@code struct Empty { };} (an Onyx addition: zero bytes on the wire) into {@code
   * record Empty()}; from-java refused that record, saying XDR structs need a field, so the Java
   * idlc wrote did not go back.
   */
  @Test
  void aRecordOfNoComponentsIsAStructOfNoFieldsAsIdlcGeneratesIt() throws Exception {
    Files.writeString(dir.resolve("Nothing.java"), "package p;\n\npublic record Nothing() {}\n");
    Files.writeString(dir.resolve("Poker.java"), "package p;\n\n@Program(0x20000301) @NumberedInOrder\n"
        + "public interface Poker {\n  Nothing poke(Nothing n);\n}\n");
    assertEquals(0, run("from-java", "-o", "idl", "Nothing.java", "Poker.java"), err());
    assertEquals("", err());
    String idl = Files.readString(dir.resolve("idl/p/p.idl"));
    assertTrue(idl.contains("\nstruct Nothing {\n};\n"), idl);
    assertEquals(0, run("-o", "java", "idl/p/p.idl"), err());
    assertEquals("", err());
    assertTrue(Files.readString(dir.resolve("java/p/Nothing.java")).contains("public record Nothing() {"));
  }

  @Test
  void unmappableJavaExitsOneAndWritesNothing() throws Exception {
    Files.writeString(dir.resolve("Bad.java"),
        "public interface Bad {\n  @Procedure(1) java.util.Set<String> all();\n}\n");
    assertEquals(1, run("from-java", "-o", "idl", "Bad.java"));
    assertEquals("Bad.java:2:17: error: cannot map `java.util.Set<String>` to XDR: use a List (the"
        + " order is then part of the wire) (result of `all`)\n", err());
    assertFalse(Files.exists(dir.resolve("idl")));
  }

  @Test
  void usageErrorsExitTwo() {
    assertEquals(2, run("from-java"));
    assertEquals("idlc from-java: no input files\n"
        + "Try 'idlc from-java --help' for more information.\n", err());
    err.reset();
    assertEquals(2, run("from-java", "Missing.java"));
    assertEquals("idlc: cannot read Missing.java: no such file\n", err());
    assertEquals(0, run("from-java", "--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage: idlc from-java"));
  }
}
