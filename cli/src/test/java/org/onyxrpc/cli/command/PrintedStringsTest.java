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
}
