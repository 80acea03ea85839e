package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The public API uses the internals, never the other way: no cycle between the packages. */
class PackageDirectionTest {
  private static final Pattern PUBLIC_API = Pattern.compile("\\borg\\.onyxrpc\\.mq\\.[A-Z]");

  @Test
  void internalsDoNotReferToThePublicApi() throws IOException {
    try (Stream<Path> files = Files.walk(Path.of("src/main/java/org/onyxrpc/mq/internal"))) {
      List<Path> offenders = files.filter(f -> f.toString().endsWith(".java"))
          .filter(f -> {
            try {
              return PUBLIC_API.matcher(Files.readString(f)).find();
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          })
          .toList();
      assertEquals(List.of(), offenders);
    }
  }
}
