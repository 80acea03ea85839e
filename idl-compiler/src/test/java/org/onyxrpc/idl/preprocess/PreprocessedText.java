package org.onyxrpc.idl.preprocess;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.onyxrpc.idl.source.Diagnostics;

/** What the parity tests compare with cpp's output: a file preprocessed with no options, on one line. */
final class PreprocessedText {
  private PreprocessedText() {}

  /** {@code text} as {@code main.x} in {@code dir}, its lines joined by one blank; diagnostics go to {@code diagnostics}. */
  static String onOneLine(Path dir, Diagnostics diagnostics, String text) {
    Preprocessor preprocessor = new Preprocessor(List.of(),
        Preprocessor.predefined(Map.of(), List.of()), path -> "main.x", diagnostics);
    return preprocessor.run(dir.resolve("main.x"), text).text().replaceAll("\n+", " ").strip();
  }
}
