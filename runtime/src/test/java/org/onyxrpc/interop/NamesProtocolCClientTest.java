package org.onyxrpc.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.InetAddress;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.directory.rpcbind.DirectoryServer;
import org.onyxrpc.testing.NativeBuilds;

/**
 * The directory's names protocol is open to C: a client that rpcgen and gcc build from the
 * {@code onyx_names.x} the runtime ships (on the class path, as in the jar) registers a name with
 * a lease against an Onyx {@link DirectoryServer}, looks it up over TCP and UDP, renews it, lists
 * it, and removes it. Each line of its transcript is a call whose arguments Java decoded from
 * what rpcgen's XDR encoded, or whose result C decoded from what Java encoded.
 */
@Timeout(180)
class NamesProtocolCClientTest {
  private static final String SHIPPED = "/org/onyxrpc/directory/onyx_names.x";

  @TempDir Path work;

  @Test
  void aCClientFromTheShippedXFileRegistersLooksUpRenewsAndRemovesAName() throws Exception {
    InteropEnvironment.requireToolchain();
    URL x = NamesProtocolCClientTest.class.getResource(SHIPPED);
    assertNotNull(x, SHIPPED + " is not on the class path");
    // Written from its text rather than copied: the build's key would otherwise cover every class
    // file beside it in target/classes.
    String shipped = Files.readString(Path.of(x.toURI()));
    Path client = NativeBuilds.built(new NativeBuilds.Recipe(
        List.of(NativeInterop.SOURCES.resolveSibling("names").resolve("names_client.c")),
        Map.of("onyx_names.x", shipped),
        List.of(
            List.of("rpcgen", "-h", "-o", "onyx_names.h", "onyx_names.x"),
            List.of("rpcgen", "-c", "-o", "onyx_names_xdr.c", "onyx_names.x"),
            List.of("rpcgen", "-l", "-o", "onyx_names_clnt.c", "onyx_names.x"),
            List.of("gcc", "-std=gnu11", "-O1", "-I/usr/include/tirpc", "-I.", "-o", "names_client",
                "names_client.c", "onyx_names_xdr.c", "onyx_names_clnt.c", "-ltirpc"))))
        .resolve("names_client");
    try (DirectoryServer directory = DirectoryServer.builder()
            .bind(InetAddress.getLoopbackAddress(), 0).build().start();
        NativeCommands commands = new NativeCommands(work)) {
      Path out = work.resolve("names.stdout");
      Path err = work.resolve("names.stderr");
      Process c = commands.start(new ProcessBuilder(client.toString(), Integer.toString(directory.port()))
          .redirectOutput(out.toFile()).redirectError(err.toFile()));
      NativeCommands.finish(c, "names_client", err);
      String instance = "  org.example.CNames 0x20000777 1 tcp 127.0.0.1.4.1\n";
      assertEquals("register 5000\n"
          + "lookup tcp 1\n" + instance
          + "lookup udp 1\n" + instance
          + "renew 60000\n"
          + "list org.example.CNames 0x20000777 tcp 127.0.0.1.4.1 lease renewed\n"
          + "register v2 3600000\n"   // 2^32-1 ms asked: the directory's longest lease, 1 h
          + "register ticotsord 0\n"  // not IP's nor a socket's netid: refused
          + "unregister TRUE\n"
          + "unregister again FALSE\n"
          + "unregister v2 TRUE\n"
          + "lookup after 0\n", Files.readString(out));
    }
  }
}
