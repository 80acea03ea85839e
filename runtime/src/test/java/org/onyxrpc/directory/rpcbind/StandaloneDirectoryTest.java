package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.remote.DirectoryClient;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.testing.TestService;

/** The directory as its own process: {@code DirectoryMain}, found and used by another. */
class StandaloneDirectoryTest {
  @TempDir Path work;

  @Test
  void aStandaloneDirectoryServesOtherProcessesAndStopsOnSigterm() throws Exception {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process directory = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
        DirectoryMain.class.getName(), "--port", "0", "--bind", "127.0.0.1")
        .redirectError(work.resolve("stderr").toFile())
        .start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(directory.getInputStream(), StandardCharsets.UTF_8));
      String line = CompletableFuture.supplyAsync(() -> {
        try {
          return out.readLine();
        } catch (java.io.IOException e) {
          return null;
        }
      }).get(60, TimeUnit.SECONDS);
      assertTrue(line != null && line.matches("onyx directory on port \\d+"), String.valueOf(line));
      int port = Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1));

      String name = "org.onyxrpc.testing.TestService";
      try (RemoteDirectory remote = RemoteDirectory.at("127.0.0.1", port);
          RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
              .directory(remote).serviceName(TestService.PROGRAM, name)
              .addService(new TestService().definition()).build().start();
          DirectoryClient client = DirectoryClient.builder().directory(remote).service(name).build()) {
        NamesAndLeasesTest.awaitTrue(() -> remote.lookup(name).size() == 2, java.time.Duration.ofSeconds(20));
        assertEquals(List.of("tcp", "udp"), remote.lookup(name).stream().map(ServiceInstance::netid).sorted().toList());
        assertEquals(server.port(), remote.lookup(name).get(0).socketAddress().getPort());
        assertEquals(42, client.call(TestService.ADD, new TestService.Pair(40, 2)));
      }
      directory.destroy(); // SIGTERM: the shutdown hook closes the directory
      assertTrue(directory.waitFor(20, TimeUnit.SECONDS), "the directory stops on SIGTERM");
    } finally {
      directory.destroyForcibly();
    }
  }
}
