package org.onyxrpc.examples.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.examples.Endpoint;
import org.onyxrpc.examples.ExampleMain;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;

/** Runs the file service over loopback: large blocks, pipelined and reordered, read back whole. */
class FileDemoTest {
  @TempDir Path root;

  @Test
  void printsWhatItsReadmeShows() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    FileDemo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertEquals("""
        server: FileService version 1 (program 0x20000301) over TCP, storing in a temporary directory
        client: uploaded 8388608 bytes as big.bin in 128 blocks of 65536, up to 8 in flight
        client: stat(big.bin) = 8388608 bytes, SHA-256 matches the local copy
        client: downloaded 8388608 bytes, identical to the upload
        client: read(missing.bin) threw NoSuchFile: missing.bin
        client: remove(big.bin) = true
        server: shut down
        """, bytes.toString(StandardCharsets.UTF_8));
  }

  /** The same calls and answers over the transport {@code --transport} chooses. */
  @ParameterizedTest
  @ValueSource(strings = {"unix", "in-process"})
  void printsTheSameOverTheTransportTheFlagChooses(String transport) throws Exception {
    ByteArrayOutputStream tcp = new ByteArrayOutputStream();
    FileDemo.run(new PrintStream(tcp, true, StandardCharsets.UTF_8));
    Endpoint where = Endpoint.fromArgs(new ArrayList<>(List.of("--transport", transport)), "files-test", 0);
    ByteArrayOutputStream other = new ByteArrayOutputStream();
    FileDemo.run(where, new PrintStream(other, true, StandardCharsets.UTF_8));
    assertEquals(tcp.toString(StandardCharsets.UTF_8).replace("over TCP", "over " + where.transport()), other.toString(StandardCharsets.UTF_8));
  }

  /** As the demo does, a client told UDP calls the server over TCP: a block outgrows a datagram. */
  @Test
  @Timeout(60)
  void theClientToldUdpCallsOverTcpAsTheServerServes() throws Exception {
    try (RpcServer server = FileServer.start(root, Endpoint.tcp("localhost", 0))) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int status = ExampleMain.status("FileClient",
          () -> FileClient.call(new String[] {"--transport", "udp", "--at", String.valueOf(server.port())}),
          new PrintStream(err, true, StandardCharsets.UTF_8));
      assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
    }
  }

  /** The server's own temporary directory goes with it, unless files were left there. */
  @Test
  void theTemporaryDirectoryGoesWhenEmpty() throws Exception {
    Path empty = Files.createDirectory(root.resolve("empty"));
    FileServer.close(FileServer.start(empty, Endpoint.inProcess("files-tidy")), empty);
    assertFalse(Files.exists(empty));

    Path used = Files.createDirectory(root.resolve("used"));
    Files.writeString(used.resolve("kept.txt"), "uploaded");
    FileServer.close(FileServer.start(used, Endpoint.inProcess("files-tidy")), used);
    assertTrue(Files.exists(used.resolve("kept.txt")));
  }

  @Test
  void fullSizeBlocksOddSizesAndBadNames() throws Exception {
    try (RpcServer server = FileServer.start(root, Endpoint.inProcess("files-1"));
        RpcClient rpc = RpcClient.builder().inProcess("files-1").build()) {
      FileClient client = new FileClient(rpc);
      byte[] content = FileDemo.content(3 * FilesConstants.MAX_BLOCK + 17);
      assertEquals(4, client.upload("odd.bin", content, FilesConstants.MAX_BLOCK, 2));
      assertArrayEquals(content, client.download("odd.bin", FilesConstants.MAX_BLOCK));
      assertArrayEquals(content, Files.readAllBytes(root.resolve("odd.bin")));

      FileServiceV1.FileService files = FileServiceV1.newClient(rpc);
      assertEquals(new Block(new byte[0], true), files.read("odd.bin", content.length + 5, 10));
      RpcException negative = assertThrows(RpcException.class, () -> files.read("odd.bin", -1, 10));
      assertEquals(RpcStatus.GARBAGE_ARGS, negative.status(), "the caller's mistake, not the server's");
      BadFileName bad = assertThrows(BadFileName.class, () -> files.write("../escape", 0, new byte[1]));
      assertEquals("../escape", bad.name());
      assertFalse(Files.exists(root.resolveSibling("escape")));
      assertThrows(NoSuchFile.class, () -> files.stat(".hidden"));

      // A write past the largest file, or whose end would pass 2^63, is refused, not stored.
      for (long offset : new long[] {1L << 40, Long.MAX_VALUE - 1, FileServer.MAX_FILE_BYTES}) {
        BadFileName tooFar = assertThrows(BadFileName.class, () -> files.write("far.bin", offset, new byte[2]));
        assertTrue(tooFar.reason().startsWith("a file is at most"), tooFar.reason());
      }
      assertFalse(Files.exists(root.resolve("far.bin")));
    }
  }
}
