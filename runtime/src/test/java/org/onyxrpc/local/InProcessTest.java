package org.onyxrpc.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.CallContext;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrCodecs;

/** Transport.IN_PROCESS: by name, no socket, yet every call marshalled as on the wire. */
class InProcessTest {
  private static final int PROGRAM = 0x20000778;

  /** Writes a long, reads an int: a codec bug that only marshalling can show. */
  private static final XdrCodec<Long> LOPSIDED = XdrCodecs.of(
      (out, v) -> out.writeHyper(v), in -> (long) in.readInt());
  private static final Procedure<Long, Long> BROKEN =
      new Procedure<>(PROGRAM, 1, 1, "Codec.broken", LOPSIDED, XdrCodecs.HYPER);
  private static final Procedure<Void, String> WHERE =
      new Procedure<>(PROGRAM, 1, 2, "Codec.where", XdrCodecs.VOID, XdrCodecs.STRING);

  @Test
  void argumentsAreMarshalledSoACodecBugIsCaughtAsOnTheWire() throws Exception {
    AtomicInteger ran = new AtomicInteger();
    AtomicReference<CallContext> seen = new AtomicReference<>();
    ServiceDefinition service = ServiceDefinition.builder(PROGRAM, 1)
        .procedure(BROKEN, (v, ctx) -> {
          ran.incrementAndGet();
          return v;
        })
        .procedure(WHERE, (v, ctx) -> {
          seen.set(ctx);
          return ctx.transport().toString();
        })
        .build();
    try (RpcServer server = RpcServer.builder().inProcess("codecs").addService(service).build().start();
        RpcClient client = RpcClient.builder().inProcess("codecs").build()) {
      RpcException e = assertThrows(RpcException.class, () -> client.call(BROKEN, 7L));
      assertEquals(RpcStatus.GARBAGE_ARGS, e.status(), "4 bytes left over after the int");
      assertEquals(0, ran.get());
      assertEquals("IN_PROCESS", client.call(WHERE, null));
      assertTrue(seen.get().peerCredentials().isEmpty());
      assertEquals(0, server.port());
      assertEquals("codecs", server.inProcessName().orElseThrow());
    }
  }

  @Test
  void anUnknownNameIsUnavailableAndNothingRan() {
    try (RpcClient client = RpcClient.builder().inProcess("nobody-here").build()) {
      // A retransmitting call too: nothing left the client, so nothing can have run.
      RpcException e = assertThrows(RpcException.class,
          () -> client.call(TestService.ADD, new TestService.Pair(1, 2)));
      assertEquals(RpcStatus.UNAVAILABLE, e.status());
      assertTrue(e.getMessage().startsWith("cannot reach in-process nobody-here to call Test.add"),
          e.getMessage());
      assertTrue(e.getMessage().endsWith("no in-process server named \"nobody-here\" is running in this JVM"),
          e.getMessage());
      assertEquals(0, client.stats().retransmissions());
    }
  }

  @Test
  void aNameIsHeldByOneServerAtATimeAndNeverRegistered() throws Exception {
    LocalDirectory directory = new LocalDirectory(new InMemoryDirectoryStore());
    try (RpcServer first = RpcServer.builder().inProcess("taken").directory(directory)
        .addService(new TestService().definition()).build().start()) {
      IOException e = assertThrows(IOException.class, () -> RpcServer.builder().inProcess("taken")
          .addService(new TestService().definition()).build().start());
      // Before, Netty's words followed, with its channel's id: "address already in use by: [id: 0x…]".
      assertEquals("cannot listen on in-process name \"taken\": another server in this JVM serves"
          + " that name (close it first, or give this server a name of its own)", e.getMessage());
      assertTrue(directory.lookup(TestService.PROGRAM, 1).isEmpty(), "nothing to register");
    }
    // Closed: the name is free again.
    try (RpcServer again = RpcServer.builder().inProcess("taken")
            .addService(new TestService().definition()).build().start();
        RpcClient client = RpcClient.builder().inProcess("taken").build()) {
      assertEquals(3, client.call(TestService.ADD, new TestService.Pair(1, 2)));
    }
  }

  @Test
  void theTransportAndTheAddressMustAgree() {
    assertThrows(IllegalStateException.class, () -> RpcClient.builder().inProcess("x")
        .transport(Transport.TCP).build());
    assertThrows(IllegalStateException.class, () -> RpcServer.builder().transports(Transport.IN_PROCESS)
        .addService(new TestService().definition()).build());
    assertThrows(IllegalArgumentException.class, () -> RpcServer.builder().inProcess(""));
  }
}
