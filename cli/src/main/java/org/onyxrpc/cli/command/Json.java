package org.onyxrpc.cli.command;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;
import org.onyxrpc.idl.cli.InputFiles;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;

/** Reading the arguments a person gives and printing what came back, as JSON. */
final class Json {
  static final ObjectMapper MAPPER = JsonMapper.builder(
          new JsonFactoryBuilder().characterEscapes(new PrintableEscapes()).build())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  /** A JSON number that is a negative zero: {@code -0.0}, {@code -0e5} (not {@code -0}, an int). */
  private static final Pattern NEGATIVE_ZERO = Pattern.compile("-0(\\.0+)?([eE][+-]?[0-9]+)?");

  private Json() {}

  /**
   * Reads a JSON number with a fraction or exponent exactly, as a BigDecimal ({@code 3.0} is a
   * whole number for an int, {@code 1e400} is beyond a double and said so), but a negative zero
   * as the double -0.0: a BigDecimal has no sign of zero, and {@code -0.0} was sent as 0.0.
   * (Jackson's {@code USE_BIG_DECIMAL_FOR_FLOATS} would make every one a BigDecimal.)
   */
  private static final class SignedZeros extends JsonParserDelegate {
    SignedZeros(JsonParser parser) {
      super(parser);
    }

    @Override
    public NumberTypeFP getNumberTypeFP() throws IOException {
      if (currentToken() != JsonToken.VALUE_NUMBER_FLOAT) {
        return super.getNumberTypeFP();
      }
      return NEGATIVE_ZERO.matcher(getText()).matches() ? NumberTypeFP.DOUBLE64 : NumberTypeFP.BIG_DECIMAL;
    }
  }

  /**
   * What {@code onyx call} prints is what a server sent: its strings are printed with every
   * character a terminal acts on escaped, as {@code RateLimitedLog.escaped} treats a log line
   * (control characters, line and paragraph separators). Jackson escapes only those below U+0020,
   * and printed DEL, the C1 controls (U+009B is CSI, U+009D OSC to a terminal that honours them)
   * and U+2028 as they came. A JSON reader decodes the escapes to the same string.
   */
  private static final class PrintableEscapes extends CharacterEscapes {
    private final int[] ascii = CharacterEscapes.standardAsciiEscapesForJSON();

    PrintableEscapes() {
      ascii[0x7f] = CharacterEscapes.ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      int type = Character.getType(ch);
      return type == Character.CONTROL || type == Character.LINE_SEPARATOR
          || type == Character.PARAGRAPH_SEPARATOR
          ? new SerializedString(String.format(Locale.ROOT, "\\u%04X", ch)) : null;
    }
  }

  /**
   * {@code -d}'s value: JSON text, {@code @file}, or {@code -} for standard input; null when
   * not given.
   *
   * @throws IllegalArgumentException for bad JSON (with its line and column) or an unreadable file
   */
  static JsonNode arguments(String data, Path cwd, InputStream stdin) {
    if (data == null) {
      return null;
    }
    String text;
    String source;
    Path file = data.startsWith("@") ? cwd.resolve(data.substring(1)) : null;
    // A file is named as idlc names an input it cannot read: the path, not "@path".
    String unreadable = file == null ? null : InputFiles.unreadable(cwd, file, null);
    if (unreadable != null) {
      throw new IllegalArgumentException(unreadable);
    }
    try {
      if (data.equals("-")) {
        text = new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
        source = "standard input";
      } else if (file != null) {
        text = Files.readString(file, StandardCharsets.UTF_8);
        source = file.toString();
      } else {
        text = data;
        source = "-d";
      }
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(InputFiles.cannotRead(cwd, file, "no such file"));
    } catch (AccessDeniedException e) {
      throw new IllegalArgumentException(InputFiles.cannotRead(cwd, file, "permission denied"));
    } catch (IOException e) {
      throw new IllegalArgumentException(file == null ? "cannot read standard input: " + e.getMessage()
          : InputFiles.cannotRead(cwd, file, e.getMessage()));
    }
    if (text.isBlank()) {
      // Jackson reads nothing as a "missing" node, which would surface as "got missing".
      throw new IllegalArgumentException("bad JSON in " + source + ": nothing there, expected an object");
    }
    try (JsonParser parser = new SignedZeros(MAPPER.createParser(text))) {
      JsonNode node = MAPPER.readTree(parser);
      if (node == null) { // readTree(JsonParser) returns null where readTree(String) said "missing"
        throw new IllegalArgumentException("bad JSON in " + source + ": nothing there, expected an object");
      }
      return node;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + " column " + at.getColumnNr();
      // Jackson appends where an unclosed object started, naming its input "REDACTED": cut it.
      String message = e.getOriginalMessage().replaceFirst("\\s*\\(start marker at \\[Source: .*", "");
      throw new IllegalArgumentException("bad JSON in " + source + where + ": " + message);
    } catch (IOException e) { // reading a String: no I/O to fail
      throw new UncheckedIOException(e);
    }
  }

  /** A value as it is printed: indented, one member per line. */
  static String print(JsonNode node) {
    try {
      return loneSurrogatesEscaped(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A value on one line, as a stream of events is printed (JSON Lines). */
  static String printLine(JsonNode node) {
    try {
      return loneSurrogatesEscaped(MAPPER.writeValueAsString(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code json} with each lone surrogate escaped (a backslash, u and four hex digits): a string's byte that is
   * not UTF-8 reaches Java as one (U+DC80..U+DCFF, see {@code XdrReader.readString}), and printed
   * raw would reach the terminal as '?'. {@link PrintableEscapes} sees one char at a time and
   * cannot tell a lone surrogate from half of a pair, which is one character, printed as is. Only
   * strings hold surrogates, so the escape stays inside one, and decodes to the same string.
   */
  static String loneSurrogatesEscaped(String json) {
    StringBuilder out = null;
    for (int i = 0, n = json.length(); i < n; i++) {
      char c = json.charAt(i);
      boolean pair = Character.isHighSurrogate(c) && i + 1 < n
          && Character.isLowSurrogate(json.charAt(i + 1));
      boolean lone = !pair && Character.isSurrogate(c);
      if (lone && out == null) {
        out = new StringBuilder(n + 16).append(json, 0, i);
      }
      if (out != null) {
        if (lone) {
          out.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
        } else {
          out.append(c);
          if (pair) {
            out.append(json.charAt(i + 1));
          }
        }
      }
      if (pair) {
        i++;
      }
    }
    return out == null ? json : out.toString();
  }

  /** {@code {"exception": "DivideByZero", "value": {…}}}. */
  static ObjectNode exception(String name, JsonNode fields) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("exception", name);
    o.set("value", fields);
    return o;
  }

  /**
   * {@code {"error": "PROG_MISMATCH", "message": "…", "low": 1, "high": 2}}: the status, the
   * message naming the call, and the versions or the auth reason where the status has them.
   */
  static ObjectNode error(RpcException e) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("error", e.status().name());
    o.put("message", e.getMessage());
    if (e.status() == RpcStatus.PROG_MISMATCH || e.status() == RpcStatus.RPC_MISMATCH) {
      o.put("low", Integer.toUnsignedLong(e.low()));
      o.put("high", Integer.toUnsignedLong(e.high()));
    } else if (e.status() == RpcStatus.AUTH_ERROR) {
      o.put("auth", e.authStatus().name());
    }
    // A sync call's exception is made on the calling thread around the one made where the
    // failure was found, which most often says the same words: print them once. So too when the
    // message already tells its cause's words (an unknown host's are the bare name).
    String cause = e.getCause() == null ? null : e.getCause().getMessage();
    if (cause != null && (e.getMessage() == null || !e.getMessage().contains(cause))) {
      o.put("cause", cause);
    }
    return o;
  }
}
