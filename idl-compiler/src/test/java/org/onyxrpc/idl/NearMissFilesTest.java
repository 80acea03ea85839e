package org.onyxrpc.idl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real files of the corpus broken the way people break them (a ';' left out, a field or arm
 * without its type, a string or opaque without a length, a type misspelt, a procedure number
 * twice): each mistake is reported at its line and column, all of a file's in one run, without a
 * stack trace, in words that say what to write. The file is changed in memory and written to a
 * temporary folder under its own name; rpcgen 1.4.3's words for the same mistakes are beside
 * each, for comparison (it stops at the first, and takes the last two). mount.x indents with
 * tabs, which columns count to the next multiple of 8, as gcc's do.
 */
class NearMissFilesTest {
  @TempDir Path dir;

  /** libnfs' mount.x with {@code edits} (pairs of old and new text, each found once). */
  private String compileMountWith(String... edits) throws IOException {
    String text = Files.readString(CorpusTest.corpus().resolve("libnfs/mount.x"),
        StandardCharsets.UTF_8);
    for (int i = 0; i < edits.length; i += 2) {
      assertEquals(text.indexOf(edits[i]), text.lastIndexOf(edits[i]), edits[i] + " more than once");
      assertTrue(text.contains(edits[i]), edits[i]);
      text = text.replace(edits[i], edits[i + 1]);
    }
    Path file = Files.writeString(dir.resolve("mount.x"), text, StandardCharsets.UTF_8);
    IdlCompiler.Result result = IdlCompiler.compile(dir, List.of(), List.of(file));
    assertFalse(result.succeeded());
    String diagnostics = result.diagnostics().format();
    assertFalse(diagnostics.contains("Exception"), diagnostics);
    return diagnostics.lines().filter(l -> l.startsWith("mount.x:")).reduce((a, b) -> a + "\n" + b)
        .orElse("");
  }

  @Test
  void syntaxSlipsAreEachReportedInOneRun() throws IOException {
    // rpcgen: "mount.x, line 35: array declaration expected" and stops there.
    assertEquals("""
        mount.x:35:24: error: 'opaque fhandle3' needs a length: 'opaque fhandle3[N]' for exactly N \
        bytes, 'opaque fhandle3<>' or 'opaque fhandle3<N>' for a variable length
        mount.x:36:23: error: 'string dirpath' needs a bound: 'string dirpath<>' for any length, \
        'string dirpath<N>' for at most N bytes
        mount.x:57:32: error: expected ';' after field 'ml_directory'
        mount.x:64:9: error: 'gr_name' alone declares nothing: a field is a type and a name \
        ('int gr_name;' if 'gr_name' is the name, 'gr_name value;' if it is the type)
        mount.x:83:17: error: 'mountinfo' alone declares nothing: a union arm is a type and a name \
        ('int mountinfo;' if 'mountinfo' is the name, 'mountinfo value;' if it is the type; \
        'void;' for an arm without data)""",
        compileMountWith(
            "typedef opaque fhandle3<FHSIZE3>;", "typedef opaque fhandle3;",
            "typedef string dirpath<MNTPATHLEN>;", "typedef string dirpath;",
            "\tdirpath    ml_directory;", "\tdirpath    ml_directory",
            "\tname     gr_name;", "\tgr_name;",
            "\t\tmountres3_ok  mountinfo;\n\tdefault:\n\t\tvoid;\n};\n\n\nenum mountstat1",
            "\t\tmountinfo;\n\tdefault:\n\t\tvoid;\n};\n\n\nenum mountstat1"));
  }

  @Test
  void aProgramInsideAStructIsReportedOnceAndTheRestOfTheFileStillRead() throws IOException {
    // rpcgen: "mount.x, line 78: expected type specifier". The struct's other field and its
    // '};' are not reported again; the arm without a type after the struct is, in one run.
    assertEquals("""
        mount.x:78:9: error: a program is declared on its own, not inside struct 'mountres3_ok': \
        end the struct with '};' before it
        mount.x:84:17: error: 'mountinfo' alone declares nothing: a union arm is a type and a name \
        ('int mountinfo;' if 'mountinfo' is the name, 'mountinfo value;' if it is the type; \
        'void;' for an arm without data)""",
        compileMountWith(
            "\tfhandle3   fhandle;\n",
            "\tfhandle3   fhandle;\n\tprogram P { version V { void NUL(void) = 0; } = 1; } = 0x20000001;\n",
            "\t\tmountres3_ok  mountinfo;\n\tdefault:\n\t\tvoid;\n};\n\n\nenum mountstat1",
            "\t\tmountinfo;\n\tdefault:\n\t\tvoid;\n};\n\n\nenum mountstat1"));
  }

  @Test
  void aVersionWithoutItsNumberSaysWhereTheNumberGoes() throws IOException {
    // rpcgen: "mount.x, line 170: expected '='". Onyx said "unknown constant 'MOUNT_V3'": the
    // parser took the name for the number of Onyx's 'version N { ... }'.
    assertEquals("""
        mount.x:152:17: error: version 'MOUNT_V3' of program 'MOUNT_PROGRAM' has no number: \
        write it after the version's block, '} = N;'""",
        compileMountWith("\t} = 3;\n", "\t};\n"));
  }

  @Test
  void aMisspeltTypeAndATakenProcedureNumberAreBothReported() throws IOException {
    // rpcgen takes both (gcc then fails on the type; the second procedure 1 is never called).
    assertEquals("""
        mount.x:64:9: error: unknown type 'nmae'; did you mean 'name'?
        mount.x:160:46: error: duplicate procedure number 1 in version 3 of MOUNT_PROGRAM (also \
        'MOUNT3_MNT')""",
        compileMountWith(
            "\tname     gr_name;", "\tnmae     gr_name;",
            "MOUNT3_DUMP(void)          = 2;", "MOUNT3_DUMP(void)          = 1;"));
  }
}
