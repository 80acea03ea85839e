package org.onyxrpc.idl.javagen;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
