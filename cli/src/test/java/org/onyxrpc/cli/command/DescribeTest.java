package org.onyxrpc.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code onyx describe} on files that declare no program. */
class DescribeTest {
  @TempDir Path dir;

  /**
   * Many published .x files are XDR only (Ganglia's gm_protocol.x, GlusterFS' glusterfs3-xdr.x):
   * describing one said nothing at all, as if the file had not been read.
   */
  @Test
  void aFileOfTypesOnlySaysItHasNoServices() throws Exception {
    Path types = Files.writeString(dir.resolve("gm.x"), """
        struct Ganglia_metric_id { string host<>; string name<>; bool spoof; };
        """);
    assertEquals("no services: the --idl files declare types only (onyx call needs a program)\n",
        PreludeTest.describe("--idl", types.toString()));
  }
}
