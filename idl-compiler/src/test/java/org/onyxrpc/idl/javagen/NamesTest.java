package org.onyxrpc.idl.javagen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class NamesTest {
  @Test
  void idiomaticJavaNames() {
    assertEquals("CalcProg", Names.pascal("CALC_PROG"));
    assertEquals("HttpServer", Names.pascal("HTTPServer"));
    assertEquals("Operation", Names.pascal("operation"));
    assertEquals("labelLen", Names.camel("label_len"));
    assertEquals("labelLen", Names.camel("LABEL_LEN"));
    assertEquals("divideBy", Names.camel("divideBy"));
    assertEquals("DIVIDE_BY", Names.upperSnake("divideBy"));
    assertEquals("RD_OK", Names.upperSnake("RD_OK"));
    assertEquals("v2Point", Names.camel("v2_point"));
  }

  @Test
  void fileNamesThatAreNoIdentifiersGiveClassNames() {
    // The constants class is named after its file: GlusterFS's nlm4-xdr.x, or a file named 9p.x.
    assertEquals("Nlm4Xdr", Names.pascal("nlm4-xdr"));
    assertEquals("RpcCommonXdr", Names.pascal("rpc-common-xdr"));
    assertEquals("X9p", Names.pascal("9p"));
    assertEquals("NfsV4", Names.pascal("nfs.v4"));
  }

  @Test
  void keywordsAndObjectMethodsAreEscaped() {
    assertEquals("class_", Names.camel("class"));
    assertEquals("hashCode_", Names.camel("hashCode"));
    assertEquals("record_", Names.camel("record"));
    assertEquals("Record", Names.pascal("record"));
  }

  @Test
  void allocatorNumbersRepeats() {
    Names.Allocator names = new Names.Allocator("CODEC");
    assertEquals("CODEC2", names.allocate("CODEC"));
    assertEquals("x", names.allocate("x"));
    assertEquals("x2", names.allocate("x"));
  }

  /** NFS4_1 numbered was NFS4_12, which reads as version 4.12. */
  @Test
  void aNameEndingInADigitIsNumberedAfterAnUnderscore() {
    Names.Allocator names = new Names.Allocator();
    assertEquals("NFS4_1", names.allocate("NFS4_1"));
    assertEquals("NFS4_1_2", names.allocate("NFS4_1"));
  }

  /**
   * FooBar written before FOO_BAR took FOO_BAR and left FOO_BAR2 to the .x file's FOO_BAR: the
   * Java FOO_BAR had the other constant's value.
   */
  @Test
  void constantsThatMeetInUpperSnakeCaseKeepTheirWrittenNames() {
    assertEquals(List.of("FooBar", "FOO_BAR", "foo_bar"),
        Names.constants(List.of("FooBar", "FOO_BAR", "foo_bar"), new Names.Allocator()));
    assertEquals(List.of("DIVIDE_BY", "CODEC2", "codec"),
        Names.constants(List.of("divideBy", "CODEC", "codec"), new Names.Allocator("CODEC")));
  }
}
