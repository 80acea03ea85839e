package org.onyxrpc.idl.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the text of {@code .idl} and {@code .x} files: UTF-8, a leading byte order mark (as
 * Windows editors write) skipped, and a file in another encoding told as such, with where its
 * first byte that is not UTF-8 is (the JDK only says {@code Input length = 1}).
 */
public final class SourceFiles {
  private SourceFiles() {}

  /** A file that is not UTF-8: where its first bad byte is, and what it is. */
  public static final class NotUtf8Exception extends IOException {
    private static final long serialVersionUID = 1L;
    private final int line;
    private final int column;

    NotUtf8Exception(int line, int column, int badByte) {
      super(String.format("not UTF-8: byte 0x%02x (save the file as UTF-8)", badByte));
      this.line = line;
      this.column = column;
    }

    /** 1-based line of the first byte that is not UTF-8. */
    public int line() {
      return line;
    }

    /** 1-based column (in characters) of that byte. */
    public int column() {
      return column;
    }
  }

  /** The file's text; {@link NotUtf8Exception} for a file in another encoding. */
  public static String read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      throw notUtf8(out.flip().toString(), bytes[in.position()] & 0xFF);
    }
    decoder.flush(out);
    String text = out.flip().toString();
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  private static NotUtf8Exception notUtf8(String before, int badByte) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < before.length(); i++) {
      if (before.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return new NotUtf8Exception(line, before.length() - lineStart + 1, badByte);
  }
}
