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
