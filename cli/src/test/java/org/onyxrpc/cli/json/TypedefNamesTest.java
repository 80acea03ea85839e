package org.onyxrpc.cli.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.onyxrpc.cli.schema.IdlSchemas;
import org.onyxrpc.idl.schema.Schema;
import org.onyxrpc.idl.schema.Type;
import org.onyxrpc.xdr.XdrWriter;

/**
 * A value that does not fit names its type as the IDL author declared it, typedef and all, and
 * what that resolves to. Before, only the resolved form: '$.names (string<4><MAX_TAGS>)', where
 * the IDL says 'tag names<MAX_TAGS>'.
 */
class TypedefNamesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Schema SCHEMA =
      IdlSchemas.load(Path.of("."), List.of(), List.of(Path.of("src/test/idl/typedefs.idl")));

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{'names': ['a', 'b', 'c'], 'n': 1, 'where': null}"
          + "|$.names (tag<MAX_TAGS>, which is string<4><MAX_TAGS>): 3 elements, at most 2",
      "{'names': ['toolong'], 'n': 1, 'where': null}"
          + "|$.names[0] (tag, which is string<4>): 7 bytes of UTF-8 exceed the bound 4",
      "{'names': [], 'n': 'x', 'where': null}"
          + "|$.n (count, which is int): \"x\" is not a whole number",
      "{'names': [], 'n': 1, 'where': 7}"
          + "|$.where (location, which is point): expected an object {\"x\": …, \"y\": …}, got the number 7",
  })
  void aValueThatDoesNotFitNamesTheDeclaredType(String value, String message) throws Exception {
    JsonValueException e = assertThrows(JsonValueException.class, () -> new JsonToXdr(SCHEMA)
        .write(new Type.Defined("labelled"), JSON.readTree(value.replace('\'', '"')), "$",
            new XdrWriter(Unpooled.buffer())));
    assertEquals(message, e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "null", value = {
      "tag<MAX_TAGS>|tag", "point *|point", "int[4]|int", "tags|null", "null|null"})
  void theElementOfAWrittenArrayOrOptional(String written, String element) {
    assertEquals(element, TypeNames.elementWritten(written));
  }
}
