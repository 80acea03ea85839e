package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.remote.DirectoryClient;
import org.onyxrpc.rpc.AuthStatus;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Credentials;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.Authenticator;
import org.onyxrpc.server.CallContext;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.FaultProxy;
import org.onyxrpc.testing.FaultProxy.Faults;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * A call's own credentials ({@link CallOptions#withCredentials}) go with that call alone, in place
 * of the client's, over every transport and I/O strategy, through a directory, set by an
 * interceptor, and unchanged in a retransmission, which the server's at-most-once cache then
 * answers with the call's saved reply. Before, a credential was the client's alone: a new one
 * (a token that expired, a request's own AUTH_SYS identity) meant a new client.
 */
class PerCallCredentialsTest {
  private static final int PROGRAM = 0x20000a45;
  private static final String NAME = "org.onyxrpc.test.PerCallCredentials";
  /** The caller as the server saw it; AT_MOST_ONCE, so that a retransmission meets the cache. */
  private static final Procedure<Void, String> WHO = new Procedure<>(PROGRAM, 1, 1,
      "Creds.who", XdrCodecs.VOID, XdrCodecs.STRING, CallSemantics.AT_MOST_ONCE);
  /** Refused AUTH_TOOWEAK by the server's authenticator, whatever the credential. */
  private static final Procedure<Void, String> GUARDED = new Procedure<>(PROGRAM, 1, 2,
      "Creds.guarded", XdrCodecs.VOID, XdrCodecs.STRING, CallSemantics.AT_MOST_ONCE);
  private static final Procedure<String, Void> NOTE = new Procedure<>(PROGRAM, 1, 3,
      "Creds.note", XdrCodecs.STRING, XdrCodecs.VOID, CallSemantics.MAYBE);
  /** A flavor of the application's own, as a bearer token travels. */
  private static final int BEARER = 390_045;

  private static final AuthSys CLIENTS = new AuthSys(0, "shared", 1000, 1000, new int[0]);
  private static final AuthSys OWN = new AuthSys(0, "request", 4242, 4242, new int[] {7});

  @TempDir
  Path dir;

  private final AtomicInteger runs = new AtomicInteger();
  private final List<String> notes = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final LocalDirectory directory = new LocalDirectory(new InMemoryDirectoryStore());
  private RpcServer server;
  private Path socket;
  private String inProcess;

  /** The credential as the procedure saw it: AUTH_SYS printed, an opaque token's bytes. */
  private static String seen(CallContext ctx) {
    if (ctx.credentials() instanceof Credentials.Unrecognized raw) {
      return "flavor " + raw.raw().flavor() + ": "
          + new String(raw.raw().body(), StandardCharsets.US_ASCII);
    }
    return ctx.credentials().toString();
  }

  @BeforeEach
  void start() throws Exception {
    socket = dir.resolve("creds.sock");
    inProcess = "per-call-credentials-" + System.nanoTime();
    Authenticator guard = new Authenticator() {
      @Override
      public Credentials authenticate(org.onyxrpc.rpc.CallHeader call) {
        if (call.procedure() == GUARDED.number()) {
          throw RpcException.authError(AuthStatus.AUTH_TOOWEAK, "stronger, please");
        }
        // The default authenticator refuses a flavor it does not know: the server's own admits it.
        return call.credential().flavor() == BEARER ? Credentials.of(call.credential())
            : Authenticator.DEFAULT.authenticate(call);
      }
    };
    server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).unixSocket(socket)
        .inProcess(inProcess).transports(Transport.TCP, Transport.values())
        .directory(directory).serviceName(PROGRAM, NAME).authenticator(guard)
        .addService(ServiceDefinition.builder(PROGRAM, 1)
            .procedure(WHO, (v, ctx) -> {
              runs.incrementAndGet();
              return seen(ctx);
            })
            .procedure(GUARDED, (v, ctx) -> "let in")
            .procedure(NOTE, (text, ctx) -> {
              notes.add(text + " from " + seen(ctx));
              return null;
            })
            .build())
        .build().start();
  }

  @AfterEach
  void stop() {
    server.close();
    directory.close();
  }

  private List<RpcClientBuilder> everyWayToCall() {
    List<RpcClientBuilder> all = new ArrayList<>();
    for (Transport t : List.of(Transport.TCP, Transport.UDP)) {
      for (IoStrategy io : IoStrategy.values()) {
        all.add(RpcClient.builder().address("127.0.0.1", server.port()).transport(t).ioStrategy(io));
      }
    }
    all.add(RpcClient.builder().unixSocket(socket));
    all.add(RpcClient.builder().inProcess(inProcess));
    return all;
  }

  @Test
  void aCallsOwnCredentialsGoWithItAloneOverEveryTransportAndIoStrategy() throws Exception {
    Credentials token = Credentials.opaque(BEARER, "token-1".getBytes(StandardCharsets.US_ASCII));
    for (RpcClientBuilder builder : everyWayToCall()) {
      try (RpcClient client = builder.credentials(CLIENTS).build()) {
        String how = client.toString();
        assertEquals(OWN.toString(), client.call(WHO, null, CallOptions.DEFAULT.withCredentials(OWN)), how);
        assertEquals(CLIENTS.toString(), client.call(WHO, null), how);
        assertEquals("flavor " + BEARER + ": token-1",
            client.callAsync(WHO, null, CallOptions.DEFAULT.withCredentials(token)).get(30, TimeUnit.SECONDS), how);
        assertEquals(Credentials.NONE.toString(),
            client.call(WHO, null, CallOptions.DEFAULT.withSemantics(CallSemantics.MAYBE)
                .withCredentials(Credentials.NONE)), how);
        notes.clear();
        client.sendAndWait(NOTE, "one-way", CallOptions.DEFAULT.withCredentials(OWN));
        // Replies come in order on a stream, not over UDP: the next call is no proof there.
        Await.until(() -> !notes.isEmpty());
        assertEquals(List.of("one-way from " + OWN), notes, how);
      }
    }
  }

  @Test
  void anInterceptorSetsEachCallsCredentials() {
    AtomicInteger tokens = new AtomicInteger();
    try (RpcClient client = RpcClient.builder().address("127.0.0.1", server.port())
        .intercept(call -> call.options(call.options().withCredentials(Credentials.opaque(BEARER,
            ("token-" + tokens.incrementAndGet()).getBytes(StandardCharsets.US_ASCII)))))
        .build()) {
      assertEquals("flavor " + BEARER + ": token-1", client.call(WHO, null));
      assertEquals("flavor " + BEARER + ": token-2", client.call(WHO, null));
    }
  }

  @Test
  void aDirectoryClientsCallsCarryTheirOwnCredentials() {
    Await.until(() -> !directory.lookup(NAME).isEmpty());
    try (DirectoryClient client = DirectoryClient.builder().directory(directory).service(NAME)
        .clientOptions(b -> b.credentials(CLIENTS)).build()) {
      assertEquals(OWN.toString(), client.call(WHO, null, CallOptions.DEFAULT.withCredentials(OWN)));
      assertEquals(CLIENTS.toString(), client.call(WHO, null));
    }
  }

  /**
   * The first transmission runs and its reply is lost; the retransmission carries the same
   * credential bytes, so the server's cache (which keys on them) answers it with the saved
   * reply, and the call runs once. Were the credential made again for it (an AUTH_SYS stamp, a
   * fresh token), the server would answer OUTCOME_UNKNOWN (CachedRepliesMatchTheirCallsTest).
   */
  @Test
  void aRetransmissionCarriesTheSameCredentialAndIsAnsweredFromTheCache() throws Exception {
    AtomicInteger tokens = new AtomicInteger();
    try (FaultProxy proxy = new FaultProxy(server.port(), Faults.NONE, 45);
        RpcClient client = RpcClient.builder().address("127.0.0.1", proxy.port())
            .timeout(Duration.ofSeconds(30)).attemptTimeout(Duration.ofMillis(50))
            // An interceptor that would give every transmission a new token, if it ran for each.
            .intercept(call -> call.options(call.options().withCredentials(Credentials.opaque(
                BEARER, ("token-" + tokens.incrementAndGet()).getBytes(StandardCharsets.US_ASCII)))))
            .build()) {
      client.call(WHO, null); // the client learns that its server filters duplicates
      proxy.faults(new Faults(0, 1, 0, 0, 0, 0, 0, 0)); // every reply lost
      CompletableFuture<String> call = client.callAsync(WHO, null);
      Await.until(() -> runs.get() == 2 && proxy.droppedReplies.sum() >= 1);
      proxy.faults(Faults.NONE);
      assertEquals("flavor " + BEARER + ": token-2", call.get(30, TimeUnit.SECONDS));
      assertEquals(2, runs.get(), "ran once");
      assertTrue(client.stats().retransmissions() >= 1, client.stats().toString());
      assertTrue(server.stats().duplicatesReplayed() >= 1, server.stats().toString());
      assertEquals(0, server.stats().outcomeUnknownReplies());
    }
  }

  /** A refusal's hint reads the flavor the call went with, not the client's. */
  @Test
  void aRefusalIsToldForTheCredentialTheCallWentWith() {
    try (RpcClient client = RpcClient.builder().address("127.0.0.1", server.port()).build()) {
      RpcException plain = assertThrows(RpcException.class, () -> client.call(GUARDED, null));
      assertTrue(plain.getMessage().contains("AUTH_SYS rather than AUTH_NONE"), plain.getMessage());
      RpcException own = assertThrows(RpcException.class,
          () -> client.call(GUARDED, null, CallOptions.DEFAULT.withCredentials(OWN)));
      assertEquals(RpcStatus.AUTH_ERROR, own.status());
      assertTrue(own.getMessage().contains("than this call's AUTH_SYS credentials"), own.getMessage());
    }
  }

  @Test
  void anOpaqueCredentialIsCopiedBoundedAndOfNoFlavorOnyxDecodes() {
    byte[] body = "secret-token".getBytes(StandardCharsets.US_ASCII);
    Credentials token = Credentials.opaque(BEARER, body);
    body[0] = 'X';
    assertEquals("secret-token",
        new String(token.toOpaqueAuth().body(), StandardCharsets.US_ASCII), "copied");
    assertEquals(400, Credentials.opaque(BEARER, new byte[400]).toOpaqueAuth().body().length);
    assertEquals("auth body of 401 bytes exceeds 400", assertThrows(IllegalArgumentException.class,
        () -> Credentials.opaque(BEARER, new byte[401])).getMessage());
    for (int flavor : new int[] {OpaqueAuth.AUTH_NONE, OpaqueAuth.AUTH_SYS, OpaqueAuth.AUTH_TLS}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Credentials.opaque(flavor, new byte[0]));
      assertTrue(e.getMessage().startsWith("flavor " + flavor + " is "), e.getMessage());
    }
    // Options print a credential's flavor and size, never a token's bytes.
    String printed = CallOptions.DEFAULT.withCredentials(token).toString();
    assertTrue(printed.contains("flavor=" + BEARER + ", 12 bytes"), printed);
    assertFalse(printed.contains("secret"), printed);
  }
}
