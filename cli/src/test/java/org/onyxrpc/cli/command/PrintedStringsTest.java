package org.onyxrpc.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * {@code onyx call} prints as JSON the strings a server sent, which may carry what a terminal
 * acts on. Seen by hand: a server answering {@code Calculator.divide} with a DivideByZero whose
 * message holds U+009B ("2J" behind it: CSI, clear the screen), U+009D (OSC, set the title), DEL
 * and U+2028 had them printed raw, where {@code onyx list} escapes the same characters.
 */
class PrintedStringsTest {
  private static final String SENT = "A\u009b2J\u009d0;title\u0007B\u007fC\u2028D\u2029E\u0085F";

  private static JsonNode message() {
    ObjectNode value = Json.MAPPER.createObjectNode();
    value.put("message", SENT);
    return Json.exception("DivideByZero", value);
  }

  @Test
  void charactersATerminalActsOnArePrintedEscaped() throws Exception {
    for (String printed : new String[] {Json.print(message()), Json.printLine(message())}) {
      assertTrue(printed.chars().noneMatch(c -> Character.getType(c) == Character.CONTROL && c != '\n'
          || Character.getType(c) == Character.LINE_SEPARATOR
          || Character.getType(c) == Character.PARAGRAPH_SEPARATOR), printed);
      assertTrue(printed.contains("A\\u009B2J\\u009D0;title\\u0007B\\u007FC\\u2028D\\u2029E\\u0085F"),
          printed);
      // Still JSON, and still the string the server sent.
      assertEquals(SENT, Json.MAPPER.readTree(printed).get("value").get("message").asText());
    }
  }

  @Test
  void otherTextIsPrintedAsItCame() {
    ObjectNode value = Json.MAPPER.createObjectNode();
    value.put("message", "déjà vu, 除以零, \u202e");
    assertTrue(Json.printLine(value).contains("déjà vu, 除以零, \u202e"), Json.printLine(value));
  }

  /**
   * A byte of a string that is not UTF-8 reaches Java as a lone surrogate (U+DCE9 for Latin-1's
   * é); printed raw it would reach the terminal as '?', so it is printed as its escape, which a
   * JSON reader decodes to the same string. A pair of surrogates is one character, printed as is.
   */
  @Test
  void bytesThatAreNotUtf8ArePrintedEscaped() throws Exception {
    ObjectNode value = Json.MAPPER.createObjectNode();
    value.put("name", "caf\udce9 \ud83d\ude00");
    for (String printed : new String[] {Json.print(value), Json.printLine(value)}) {
      assertTrue(printed.contains("caf\\uDCE9 \ud83d\ude00"), printed);
      assertEquals("caf\udce9 \ud83d\ude00", Json.MAPPER.readTree(printed).get("name").asText());
    }
  }
}
