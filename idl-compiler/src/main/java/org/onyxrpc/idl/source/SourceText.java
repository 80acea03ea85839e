package org.onyxrpc.idl.source;

import java.io.IOException;
import java.io.InputStream;
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
  /** The most read from a file that is not a regular one: 16 MiB. */
  private static final int DEVICE_LIMIT = 16 << 20;

  private SourceText() {}

  /**
   * The text of {@code path}.
   *
   * @param path the file to read
   * @return its text
   * @throws IOException when it cannot be read
   */
  public static String read(Path path) throws IOException {
    byte[] bytes = Files.isRegularFile(path) ? Files.readAllBytes(path) : device(path);
    // The UTF-8 byte order mark goes before decoding, as cpp drops it: a file that starts with
    // one and has Latin-1 bytes further on is still read, without the mark.
    int start = bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb
        && (bytes[2] & 0xff) == 0xbf ? 3 : 0;
    ByteBuffer text = ByteBuffer.wrap(bytes, start, bytes.length - start);
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(text).toString();
    } catch (CharacterCodingException e) {
      return new String(bytes, start, bytes.length - start, StandardCharsets.ISO_8859_1);
    }
  }

  /**
   * A file that is not a regular one (a device such as {@code /dev/null}, which cpp includes as
   * empty), read up to {@link #DEVICE_LIMIT} bytes: one without end ({@code /dev/zero}) is no
   * source file and must not fill the heap.
   */
  private static byte[] device(Path path) throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      byte[] bytes = in.readNBytes(DEVICE_LIMIT + 1);
      if (bytes.length > DEVICE_LIMIT) {
        throw new IOException("not a source file: more than " + DEVICE_LIMIT + " bytes");
      }
      return bytes;
    }
  }
}
