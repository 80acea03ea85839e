package org.onyxrpc.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.ClientTls;
import org.onyxrpc.client.IoStrategy;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.client.RpcClientBuilder;
import org.onyxrpc.rpc.AuthStatus;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.RpcServerBuilder;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.server.TlsMode;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/** RPC-over-TLS (RFC 9289) between an Onyx client and server, with certificates made now. */
class RpcTlsTest {
  static final int PROGRAM = 0x20000F01;
  /** Says how the call came: "tls" or "plain", and the client certificate's subject or "none". */
  static final Procedure<Void, String> WHO_AM_I =
      new Procedure<>(PROGRAM, 1, 1, "Tls.whoAmI", XdrCodecs.VOID, XdrCodecs.STRING);
  static final Procedure<String, String> ECHO =
      new Procedure<>(PROGRAM, 1, 2, "Tls.echo", XdrCodecs.STRING, XdrCodecs.STRING);

  @TempDir static Path dir;
  static TestCertificates.Authority ca;
  static TestCertificates.Authority otherCa;
  static TestCertificates.KeyPair server;
  static TestCertificates.KeyPair expired;
  static TestCertificates.KeyPair elsewhere;
  static TestCertificates.KeyPair alice;

  final AtomicInteger ran = new AtomicInteger();

  @BeforeAll
  static void certificates() throws Exception {
    TestCertificates certs = new TestCertificates(dir);
    ca = certs.authority("test-ca");
    otherCa = certs.authority("other-ca");
    server = certs.server(ca, "localhost", "DNS:localhost,IP:127.0.0.1");
    expired = certs.expiredServer(ca, "expired");
    elsewhere = certs.server(ca, "elsewhere", "DNS:elsewhere.example");
    alice = certs.client(ca, "alice");
  }

  /** {@link #WHO_AM_I} counting its calls in {@code ran}, and {@link #ECHO}. */
  static ServiceDefinition whoAmI(AtomicInteger ran) {
    return ServiceDefinition.builder(PROGRAM, 1)
        .procedure(WHO_AM_I, (v, ctx) -> {
          ran.incrementAndGet();
          return (ctx.tls() ? "tls " : "plain ")
              + ctx.peerPrincipal().map(p -> p.getName()).orElse("none");
        })
        .procedure(ECHO, (text, ctx) -> text)
        .build();
  }

  private RpcServer start(TestCertificates.KeyPair cert, TlsMode mode, ClientAuth clientAuth)
      throws Exception {
    RpcServerBuilder builder = RpcServer.builder().port(0);
    if (mode == TlsMode.OFFER) {
      builder.transports(Transport.TCP, Transport.UDP); // REQUIRE refuses UDP at build()
    }
    return builder.addService(whoAmI(ran)).addService(new TestService().definition())
        .tls(TestCertificates.serverContext(cert, ca, clientAuth), mode)
        .build().start();
  }

  private static RpcClientBuilder client(RpcServer server, SslContext context) {
    RpcClientBuilder b = RpcClient.builder().address("localhost", server.port())
        .timeout(Duration.ofSeconds(20)).connectTimeout(Duration.ofSeconds(10));
    return context == null ? b : b.tls(ClientTls.of(context, PROGRAM, 1));
  }

  @Test
  void offeredTlsCarriesCallsAndPlaintextStillWorks() throws Exception {
    try (RpcServer s = start(server, TlsMode.OFFER, ClientAuth.NONE);
        RpcClient tls = client(s, TestCertificates.clientContext(ca, null)).build();
        RpcClient plain = client(s, null).build()) {
      assertEquals("tls none", tls.call(WHO_AM_I, null));
      assertEquals("héllo", tls.call(TestService.ECHO, "héllo"));
      assertEquals("plain none", plain.call(WHO_AM_I, null));
    }
  }

  @Test
  void mutualTlsMakesTheCertificateTheCallersIdentity() throws Exception {
    try (RpcServer s = start(server, TlsMode.REQUIRE, ClientAuth.REQUIRE);
        RpcClient tls = client(s, TestCertificates.clientContext(ca, alice)).build()) {
      assertEquals("tls CN=alice", tls.call(WHO_AM_I, null));
    }
  }

  @Test
  void requiredTlsRefusesPlaintextCalls() throws Exception {
    try (RpcServer s = start(server, TlsMode.REQUIRE, ClientAuth.NONE);
        RpcClient plain = client(s, null).build()) {
      RpcException e = assertThrows(RpcException.class, () -> plain.call(WHO_AM_I, null));
      assertEquals(RpcStatus.AUTH_ERROR, e.status());
      assertEquals(AuthStatus.AUTH_TOOWEAK, e.authStatus());
      assertEquals(0, ran.get());
    }
  }

  /** Before: "refusing a call to program 536874753 from ...", where other lines say 0x20000f01. */
  @Test
  void theRefusalsLogLineNamesTheProgramInHex() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try (RpcServer s = start(server, TlsMode.REQUIRE, ClientAuth.NONE);
        RpcClient plain = client(s, null).build()) {
      assertThrows(RpcException.class, () -> plain.call(WHO_AM_I, null));
    } finally {
      System.setErr(stderr);
    }
    String logged = err.toString(StandardCharsets.UTF_8);
    assertTrue(logged.contains(" WARN org.onyxrpc.server.CallProcessor - refusing a call to program"
        + " 0x20000f01 version 1 from "), logged);
  }

  /**
   * Before: the default transports had a TLS-required server listen on UDP and register it in
   * the directory, then refuse every UDP call with AUTH_TOOWEAK.
   */
  @Test
  void requiredTlsServesAndRegistersTcpAloneByDefault() throws Exception {
    try (LocalDirectory directory = new LocalDirectory(new InMemoryDirectoryStore());
        RpcServer s = RpcServer.builder().port(0).directory(directory).addService(whoAmI(ran))
            .tls(TestCertificates.serverContext(server, ca, ClientAuth.NONE), TlsMode.REQUIRE)
            .build().start();
        RpcClient tls = client(s, TestCertificates.clientContext(ca, null)).build()) {
      assertEquals("tls none", tls.call(WHO_AM_I, null));
      assertEquals(List.of(Transport.TCP), directory.lookup(PROGRAM, 1).stream()
          .map(ServiceInstance::transport).distinct().toList());
      // Nothing listens on the port over UDP: it binds (a server's UDP socket would hold it).
      try (DatagramSocket udp = new DatagramSocket(s.port(), InetAddress.getLoopbackAddress())) {
        assertEquals(s.port(), udp.getLocalPort());
      }
    }
  }

  @Test
  void requiredTlsWithUdpChosenFailsToBuildSayingWhy() throws Exception {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> RpcServer.builder().port(0).transports(Transport.TCP, Transport.UDP)
            .addService(whoAmI(ran))
            .tls(TestCertificates.serverContext(server, ca, ClientAuth.NONE), TlsMode.REQUIRE)
            .build());
    assertTrue(e.getMessage().startsWith("transports(...) names UDP, and UDP cannot carry TLS"),
        e.getMessage());
    assertTrue(e.getMessage().contains("TlsMode.OFFER"), e.getMessage());
  }

  /**
   * TLS guards calls on a network: a server that requires it serves the calls of its Unix-domain
   * socket and in-process ones, which cross none and cannot carry TLS, and still refuses
   * plaintext TCP. Before, it refused every call on them with AUTH_TOOWEAK, while it listened on
   * the socket and listed it in the directory.
   */
  @Test
  void requiredTlsServesUnixDomainAndInProcessCallsButNotPlaintextTcp() throws Exception {
    try (RpcServer s = RpcServer.builder().port(0).unixSocket(dir.resolve("tls.sock"))
        .inProcess("tls-required").transports(Transport.TCP, Transport.UNIX, Transport.IN_PROCESS)
        .addService(whoAmI(ran))
        .tls(TestCertificates.serverContext(server, ca, ClientAuth.NONE), TlsMode.REQUIRE)
        .build().start()) {
      for (RpcClientBuilder local : java.util.List.of(RpcClient.builder().unixSocket(dir.resolve("tls.sock")),
          RpcClient.builder().inProcess("tls-required"))) {
        try (RpcClient plain = local.build()) {
          assertEquals("plain none", plain.call(WHO_AM_I, null));
        }
      }
      try (RpcClient tcp = client(s, null).build()) {
        RpcException e = assertThrows(RpcException.class, () -> tcp.call(WHO_AM_I, null));
        assertEquals(RpcStatus.AUTH_ERROR, e.status());
        assertEquals(AuthStatus.AUTH_TOOWEAK, e.authStatus());
      }
      assertEquals(2, ran.get());
    }
  }

  @Test
  void aServerCertificateFromAnotherAuthorityIsRefused() throws Exception {
    try (RpcServer s = start(server, TlsMode.REQUIRE, ClientAuth.NONE);
        RpcClient tls = client(s, TestCertificates.clientContext(otherCa, null)).build()) {
      assertUnavailable(tls, "TLS handshake failed");
    }
  }

  @Test
  void anExpiredServerCertificateIsRefused() throws Exception {
    try (RpcServer s = start(expired, TlsMode.REQUIRE, ClientAuth.NONE);
        RpcClient tls = client(s, TestCertificates.clientContext(ca, null)).build()) {
      assertUnavailable(tls, "TLS handshake failed");
    }
  }

  @Test
  void aCertificateForAnotherHostIsRefusedUnlessHostnamesAreNotChecked() throws Exception {
    try (RpcServer s = start(elsewhere, TlsMode.REQUIRE, ClientAuth.NONE);
        RpcClient tls = client(s, TestCertificates.clientContext(ca, null)).build();
        RpcClient unchecked = client(s, null).tls(new ClientTls(
            SslContextBuilder.forClient().trustManager(ca.certificate())
                .endpointIdentificationAlgorithm(null).build(), PROGRAM, 1, false, false)).build()) {
      assertUnavailable(tls, "TLS handshake failed");
      assertEquals("tls none", unchecked.call(WHO_AM_I, null)); // the name was the only fault
    }
  }

  @Test
  void aServerNameChecksTheCertificateForThatNameInsteadOfTheHost() throws Exception {
    SslContext context = TestCertificates.clientContext(ca, null);
    try (RpcServer s = start(elsewhere, TlsMode.REQUIRE, ClientAuth.NONE);
        RpcClient named = client(s, null)
            .tls(ClientTls.of(context, PROGRAM, 1).withServerName("elsewhere.example")).build();
        RpcClient misnamed = client(s, null)
            .tls(ClientTls.of(context, PROGRAM, 1).withServerName("other.example")).build()) {
      assertEquals("tls none", named.call(WHO_AM_I, null)); // connected to localhost all the same
      assertUnavailable(misnamed, "TLS handshake failed");
    }
  }

  @ParameterizedTest
  @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
  void aClientWithoutACertificateIsRefusedWhereOneIsRequired(SslProvider provider) throws Exception {
    try (RpcServer s = start(server, TlsMode.REQUIRE, ClientAuth.REQUIRE);
        RpcClient tls = client(s, TestCertificates.clientContext(ca, null, provider))
            .timeout(Duration.ofSeconds(10)).build()) {
      // In TLS 1.3 the client finishes its handshake before the server checks its certificate,
      // so it may send a call; the server's alert says it was never read. Each call ends at once
      // (not at its deadline, where it would be TIMEOUT), whatever its semantics, as not run.
      for (CallSemantics semantics : CallSemantics.values()) {
        CallOptions options = CallOptions.DEFAULT.withSemantics(semantics);
        RpcException sync = assertThrows(RpcException.class,
            () -> tls.call(WHO_AM_I, null, options));
        assertEquals(RpcStatus.UNAVAILABLE, sync.status(), semantics + ": " + sync.getMessage());
        assertTrue(sync.getMessage().contains("refused this client's TLS session"), sync.getMessage());
        CompletionException async = assertThrows(CompletionException.class,
            () -> tls.callAsync(WHO_AM_I, null, options).join());
        assertEquals(RpcStatus.UNAVAILABLE, ((RpcException) async.getCause()).status(),
            semantics + ": " + async.getMessage());
      }
      assertEquals(0, ran.get());
    }
  }

  @Test
  void aCallThatRanBeforeItsServerRefusedTheNextConnectionMayHaveRun() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ServiceDefinition holding = ServiceDefinition.builder(PROGRAM, 1)
        .procedure(WHO_AM_I, (v, ctx) -> {
          running.countDown();
          release.await();
          return "ran";
        })
        .build();
    try (RpcServer open = RpcServer.builder().port(0).addService(holding)
            .tls(TestCertificates.serverContext(server, ca, ClientAuth.NONE), TlsMode.REQUIRE)
            .build().start();
        RpcServer strict = start(server, TlsMode.REQUIRE, ClientAuth.REQUIRE);
        SwitchingProxy proxy = new SwitchingProxy(open.port());
        RpcClient tls = RpcClient.builder().address("localhost", proxy.port())
            .timeout(Duration.ofSeconds(20))
            .tls(ClientTls.of(TestCertificates.clientContext(ca, null), PROGRAM, 1)).build()) {
      CompletableFuture<String> call = tls.callAsync(WHO_AM_I, null,
          CallOptions.DEFAULT.withSemantics(CallSemantics.AT_LEAST_ONCE));
      running.await();
      proxy.switchTo(strict.port()); // the call ran; its next connection will be refused
      CompletionException e = assertThrows(CompletionException.class, call::join);
      RpcException failure = (RpcException) e.getCause();
      assertEquals(RpcStatus.OUTCOME_UNKNOWN, failure.status(), failure.getMessage());
      assertTrue(failure.getMessage().contains("refused this client's TLS session"), failure.getMessage());
      // Before the servers close: a call still running holds close() for its shutdown timeout
      // (10 s), which the test then waited out.
      release.countDown();
    } finally {
      release.countDown();
    }
  }

  /** Forwards bytes to a server; {@link #switchTo} cuts every link and sends new ones elsewhere. */
  private static final class SwitchingProxy implements AutoCloseable {
    private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile int target;

    SwitchingProxy(int target) throws IOException {
      this.target = target;
      Thread acceptor = new Thread(this::accept, "switching-proxy");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return listener.getLocalPort();
    }

    void switchTo(int port) throws IOException {
      target = port;
      for (Socket socket : sockets) {
        socket.close();
      }
    }

    private void accept() {
      try {
        while (true) {
          Socket client = listener.accept();
          Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
          sockets.add(client);
          sockets.add(server);
          pump(client, server);
          pump(server, client);
        }
      } catch (IOException closed) {
        // the test is over
      }
    }

    private static void pump(Socket from, Socket to) {
      Thread t = new Thread(() -> {
        try (Socket in = from; Socket out = to) {
          in.getInputStream().transferTo(out.getOutputStream());
        } catch (IOException ignored) {
          // one end closed: so does the other
        }
      }, "switching-proxy-pump");
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void close() throws IOException {
      listener.close();
      switchTo(target);
    }
  }

  @Test
  void aClientThatSendsACallBehindTheProbeWithoutWaitingIsDisconnected() throws Exception {
    try (RpcServer s = start(server, TlsMode.OFFER, ClientAuth.NONE);
        Socket raw = new Socket(InetAddress.getLoopbackAddress(), s.port())) {
      ByteBuffer both = ByteBuffer.allocate(44 + 44);
      both.putInt(0x80000000 | 40).putInt(1).putInt(0).putInt(2).putInt(PROGRAM).putInt(1)
          .putInt(0).putInt(7).putInt(0).putInt(0).putInt(0); // NULL with AUTH_TLS
      both.putInt(0x80000000 | 40).putInt(2).putInt(0).putInt(2).putInt(PROGRAM).putInt(1)
          .putInt(1).putInt(0).putInt(0).putInt(0).putInt(0); // whoAmI, in plaintext, too early
      raw.getOutputStream().write(both.array());
      raw.getOutputStream().flush();
      InputStream in = raw.getInputStream();
      byte[] buf = new byte[4096];
      while (in.read(buf) >= 0) {
        // whatever came before the close, the call did not run
      }
      assertEquals(0, ran.get());
    }
  }

  @Test
  void aTlsClientNeedsTheEventLoopAndTcp() throws Exception {
    SslContext context = TestCertificates.clientContext(ca, null);
    IllegalStateException callerRuns = assertThrows(IllegalStateException.class,
        () -> RpcClient.builder().address("localhost", 1).ioStrategy(IoStrategy.CALLER_RUNS)
            .tls(ClientTls.of(context, PROGRAM, 1)).build());
    assertTrue(callerRuns.getMessage().contains("EVENT_LOOP"), callerRuns.getMessage());
    IllegalStateException udp = assertThrows(IllegalStateException.class,
        () -> RpcClient.builder().address("localhost", 1).transport(Transport.UDP)
            .tls(ClientTls.of(context, PROGRAM, 1)).build());
    assertTrue(udp.getMessage().contains("TCP"), udp.getMessage());
  }

  private static void assertUnavailable(RpcClient client, String why) {
    RpcException e = assertThrows(RpcException.class, () -> client.call(WHO_AM_I, null));
    assertEquals(RpcStatus.UNAVAILABLE, e.status(), e.getMessage());
    assertTrue(e.getMessage().contains(why), e.getMessage());
  }
}
