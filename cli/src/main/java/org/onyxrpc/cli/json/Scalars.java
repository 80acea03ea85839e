package org.onyxrpc.cli.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;
import java.util.HexFormat;

/** Reads JSON scalars as the numbers, booleans and bytes of XDR, or says why they do not fit. */
final class Scalars {
  static final String HEX_PREFIX = "hex:";

  private Scalars() {}

  /** A whole number from a JSON number or a string of digits, within {@code min..max}. */
  static BigInteger integer(JsonNode node, BigInteger min, BigInteger max, String path, String idl) {
    BigInteger value;
    if (node.isIntegralNumber()) {
      value = node.bigIntegerValue();
    } else if (node.isNumber()) {
      BigDecimal decimal = node.decimalValue();
      try {
        value = decimal.toBigIntegerExact();
      } catch (ArithmeticException e) {
        throw new JsonValueException(path, idl, node + " is not a whole number");
      }
    } else if (node.isTextual()) {
      try {
        value = new BigInteger(node.textValue().trim());
      } catch (NumberFormatException e) {
        throw new JsonValueException(path, idl, node + " is not a whole number");
      }
    } else {
      throw new JsonValueException(path, idl, "expected a whole number, got " + kind(node));
    }
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new JsonValueException(path, idl, value + " is out of range " + min + ".." + max);
    }
    return value;
  }

  /**
   * A double from a JSON number or one of the strings "NaN", "Infinity", "-Infinity"; a number
   * beyond the largest double is refused rather than sent as infinity.
   */
  static double real(JsonNode node, String path, String idl) {
    double value;
    if (node.isNumber()) {
      value = node.doubleValue();
    } else if (node.isTextual()) {
      switch (node.textValue()) {
        case "NaN":
          return Double.NaN;
        case "Infinity":
          return Double.POSITIVE_INFINITY;
        case "-Infinity":
          return Double.NEGATIVE_INFINITY;
        default:
          String text = node.textValue().trim();
          try {
            value = Double.parseDouble(text);
          } catch (NumberFormatException e) {
            throw new JsonValueException(path, idl, node + " is not a number");
          }
          if (Double.isNaN(value) || text.endsWith("Infinity")) { // as parseDouble takes them
            return value;
          }
      }
    } else {
      throw new JsonValueException(path, idl, "expected a number, got " + kind(node));
    }
    if (Double.isInfinite(value)) {
      throw beyond(node, path, idl, Double.toString(Double.MAX_VALUE));
    }
    return value;
  }

  /** A float as {@link #real} reads a double, refusing a number beyond the largest float. */
  static float single(JsonNode node, String path, String idl) {
    double value = real(node, path, idl);
    float single = (float) value;
    if (Float.isInfinite(single) && !Double.isInfinite(value)) {
      throw beyond(node, path, idl, Float.toString(Float.MAX_VALUE));
    }
    return single;
  }

  private static JsonValueException beyond(JsonNode node, String path, String idl, String max) {
    return new JsonValueException(path, idl, node + " is out of range -" + max + ".." + max
        + " (infinity is \"Infinity\" or \"-Infinity\")");
  }

  /** A boolean; only JSON true and false. */
  static boolean bool(JsonNode node, String path, String idl) {
    if (!node.isBoolean()) {
      throw new JsonValueException(path, idl, "expected true or false, got " + kind(node));
    }
    return node.booleanValue();
  }

  /** Bytes from base64 (standard or URL-safe alphabet) or from {@code "hex:0a1b…"}. */
  static byte[] bytes(JsonNode node, String path, String idl) {
    if (!node.isTextual()) {
      throw new JsonValueException(path, idl, "expected base64 or \"hex:…\" text, got " + kind(node));
    }
    String text = node.textValue();
    try {
      if (text.startsWith(HEX_PREFIX)) {
        return HexFormat.of().parseHex(text.substring(HEX_PREFIX.length()));
      }
      return text.indexOf('-') >= 0 || text.indexOf('_') >= 0
          ? Base64.getUrlDecoder().decode(text) : Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new JsonValueException(path, idl, "not base64 or \"hex:…\": " + e.getMessage());
    }
  }

  /**
   * How {@link #bytes} read {@code node}, for a message: {@code "abc" is base64 for 2 bytes}, the
   * text left out when long.
   */
  static String bytesRead(JsonNode node, int length) {
    String text = node.textValue();
    String how = text.startsWith(HEX_PREFIX) ? "hex" : "base64";
    String count = length + (length == 1 ? " byte" : " bytes");
    return (text.length() <= 40 ? node + " is " : "the text is ") + how + " for " + count;
  }

  /** What kind of JSON value this is, for messages: {@code a string "x"}, {@code an object}. */
  /** How many characters of a string a message shows. */
  private static final int SHOWN_CHARACTERS = 40;

  /**
   * {@code text} quoted as JSON for a message: past {@link #SHOWN_CHARACTERS}, its start and its
   * length, so that a large value given where another was expected does not fill the terminal.
   */
  static String shown(String text) {
    int length = text.codePointCount(0, text.length());
    if (length <= SHOWN_CHARACTERS) {
      return TextNode.valueOf(text).toString();
    }
    String start = text.substring(0, text.offsetByCodePoints(0, SHOWN_CHARACTERS));
    return TextNode.valueOf(start).toString() + "… (" + length + " characters)";
  }

  static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case OBJECT -> "an object";
      case ARRAY -> "an array";
      case STRING -> "the string " + shown(node.textValue());
      case NUMBER -> "the number " + node;
      case BOOLEAN -> node.toString();
      case NULL -> "null";
      default -> node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
