package org.onyxrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.ClientCall;
import org.onyxrpc.client.ClientInterceptor;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.rpc.Credentials;
import org.onyxrpc.server.CallConnection;
import org.onyxrpc.server.CallContext;
import org.onyxrpc.server.PeerCredentials;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServerCall;
import org.onyxrpc.server.ServerInterceptor;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;

/**
 * What an interceptor or a procedure logs of a call says which call it is: the procedure by name
 * and numbers, the peer, the promise, the outcome and its duration. Before, {@code ClientCall},
 * {@code ServerCall}, {@code ServiceDefinition} and {@code CallConnection} printed as {@code
 * ClientCall@41d426b5}, a {@code Procedure} its codecs' classes and its program in decimal, and a
 * {@code CallContext} every certificate of its chain whole (kilobytes) and its credentials as the
 * caller chose them, a line break included.
 */
class PrintedCallsTest {
  private static final String DURATION = "\\d+\\.\\d{3} ms";

  @Test
  void theCallsInterceptorsSeeSayWhichCallTheyAre() throws Exception {
    LinkedBlockingQueue<String> printed = new LinkedBlockingQueue<>();
    ClientInterceptor client = new ClientInterceptor() {
      @Override
      public void onStart(ClientCall call) {
        printed.add(call.toString());
      }

      @Override
      public void onClose(ClientCall call) {
        printed.add(call.toString());
      }
    };
    ServerInterceptor server = new ServerInterceptor() {
      @Override
      public void onStart(ServerCall call) {
        printed.add(call.toString());
      }

      @Override
      public void onClose(ServerCall call) {
        printed.add(call.toString());
      }
    };
    try (RpcServer s = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
            .directory(Directory.none()).addService(new TestService().definition()).intercept(server)
            .build().start();
        RpcClient c = RpcClient.builder().address("127.0.0.1", s.port()).intercept(client).build()) {
      c.call(TestService.ADD, new TestService.Pair(1, 2));
      String add = "Test.add \\(program 0x20000101 version 1 procedure 1\\)";
      assertMatches("ClientCall\\[" + add + " to tcp 127.0.0.1:" + s.port() + ", AT_MOST_ONCE, started\\]",
          printed.take());
      assertMatches("ServerCall\\[" + add + ", xid 0x[0-9a-f]+ from tcp 127.0.0.1:\\d+, AT_MOST_ONCE, running\\]",
          printed.take());
      assertMatches("ServerCall\\[" + add + ", xid 0x[0-9a-f]+ from tcp 127.0.0.1:\\d+, AT_MOST_ONCE, SUCCESS in "
          + DURATION + "\\]", printed.take());
      assertMatches("ClientCall\\[" + add + " to tcp 127.0.0.1:" + s.port() + ", AT_MOST_ONCE, SUCCESS in "
          + DURATION + "\\]", printed.take());
      c.send(TestService.LOG, "line").get();
      assertMatches("ClientCall\\[Test.log \\(program 0x20000101 version 1 procedure 8\\) to tcp 127.0.0.1:"
          + s.port() + ", one-way, started\\]", printed.take());
    }
  }

  @Test
  void aProcedureAndADefinitionNameTheirNumbers() {
    assertEquals("Procedure[Test.add (program 0x20000101 version 1 procedure 1), AT_MOST_ONCE]",
        TestService.ADD.toString());
    assertEquals("ServiceDefinition[program 0x20000101 version 1, 10 procedures]",
        new TestService().definition().toString());
    assertEquals("ServiceDefinition[com.example.Echo, program 0x20000102 version 2, 1 procedure]",
        ServiceDefinition.builder(0x20000102, 2).name("com.example.Echo")
            .procedure(new org.onyxrpc.rpc.Procedure<>(0x20000102, 2, 1, "Echo.echo",
                org.onyxrpc.xdr.XdrCodecs.STRING, org.onyxrpc.xdr.XdrCodecs.STRING), (a, ctx) -> a)
            .build().toString());
    assertEquals("CallConnection[none]", CallConnection.none().toString());
  }

  @Test
  void aCallContextIsOneBoundedLineWhateverTheCallerClaims() {
    Credentials forged = new AuthSys(0, "host\nINFO forged line", 1000, 1000, new int[0]);
    CallContext context = new CallContext(0x1f2e, 0x20000101, 1, 3, forged,
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 53124), Transport.UNIX, false, List.of(),
        Optional.of(new PeerCredentials(42, 1000, 1000)), null);
    assertEquals("CallContext[xid 0x1f2e, program 0x20000101 version 1 procedure 3, from unix 127.0.0.1:53124,"
        + " SO_PEERCRED[pid=42 uid=1000 gid=1000], AUTH_SYS[host\\x0aINFO forged line uid=1000 gid=1000 gids=[]]]",
        context.toString());
  }

  private static void assertMatches(String regex, String actual) {
    assertTrue(actual.matches(regex), actual + "\n does not match\n" + regex);
  }
}
