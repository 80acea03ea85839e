package org.onyxrpc.idl.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads an IDL or {@code .x} file as rpcgen would take it: UTF-8, or, where the bytes are not
 * UTF-8, ISO-8859-1 (old Sun and BSD files have Latin-1 names in their comments, which rpcgen
 * reads as bytes); a leading byte order mark is not part of the text.
 */
public final class SourceText {
  private SourceText() {}

  /** The text of {@code path}. */
  public static String read(Path path) throws IOException {
    byte[] bytes = Files.readAllBytes(path);
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      text = new String(bytes, StandardCharsets.ISO_8859_1);
    }
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }
}
