package org.onyxrpc.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.server.CallContext;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * The callback pattern of NLM and rstat clients against an Onyx server: a C client that also
 * serves a callback program on a TCP port of its own (src/test/c/callback/callback_peer.c) gives
 * that port in its call, and the Onyx server calls back to the caller's host: during the call
 * (the handler makes a nested call and answers with its result) and after answering it. Over TCP
 * and UDP to the Onyx server; the callbacks go over TCP.
 */
class CallbackCPeerTest {
  private static final int PROGRAM = 0x20000778;
  private static final int CALLBACK_PROGRAM = 0x40000778;
  private static final Procedure<Integer, Integer> SUBSCRIBE = new Procedure<>(PROGRAM, 1, 1,
      "Callback.SUBSCRIBE", XdrCodecs.UNSIGNED_INT, XdrCodecs.INT);
  private static final Procedure<Integer, Integer> SUBSCRIBE_LATER = new Procedure<>(PROGRAM, 1, 2,
      "Callback.SUBSCRIBE_LATER", XdrCodecs.UNSIGNED_INT, XdrCodecs.INT);
  private static final Procedure<String, Integer> NOTIFY = new Procedure<>(CALLBACK_PROGRAM, 1, 1,
      "CallbackPeer.NOTIFY", XdrCodecs.STRING, XdrCodecs.INT);

  @TempDir Path work;
  private NativeCommands commands;
  /** The threads calling back after their call was answered (server threads add to it). */
  private final List<Thread> later = new CopyOnWriteArrayList<>();
  private Path peer;

  @BeforeEach
  void buildCPeer() throws Exception {
    InteropEnvironment.requireToolchain();
    commands = new NativeCommands(work);
    Path source = NativeInterop.SOURCES.resolveSibling("callback").resolve("callback_peer.c");
    commands.run("gcc", "-std=gnu11", "-O1", "-I/usr/include/tirpc", "-o", "callback_peer",
        source.toString(), "-ltirpc", "-lpthread");
    peer = work.resolve("callback_peer");
  }

  @AfterEach
  void stopProcesses() throws InterruptedException {
    if (commands != null) {
      commands.close();
    }
    for (Thread thread : later) {
      thread.join(TimeUnit.SECONDS.toMillis(NativeCommands.COMMAND_SECONDS));
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "udp"})
  void anOnyxServerCallsTheCClientBack(String netid) throws Exception {
    Transport transport = netid.equals("tcp") ? Transport.TCP : Transport.UDP;
    try (RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .transports(transport)
        .addService(ServiceDefinition.builder(PROGRAM, 1)
            .procedure(SUBSCRIBE, (port, context) -> notify(context, port, "during"))
            .procedure(SUBSCRIBE_LATER, (port, context) -> {
              Thread thread = new Thread(() -> notify(context, port, "later"), "notify-later");
              later.add(thread);
              thread.start();
              return 0;
            })
            .build())
        .build().start()) {
      Path out = work.resolve("peer-" + netid + ".stdout");
      Path err = work.resolve("peer-" + netid + ".stderr");
      Process client = commands.start(
          new ProcessBuilder(peer.toString(), netid, Integer.toString(server.port()))
          .redirectOutput(out.toFile()).redirectError(err.toFile()));
      NativeCommands.finish(client, "C callback peer " + netid, err);
      assertEquals("""
          SUBSCRIBE -> 106
          NOTIFY heard -> during
          SUBSCRIBE_LATER -> 0
          NOTIFY heard -> later
          """, Files.readString(out));
    }
  }

  /** NOTIFY(what) to the caller's host at {@code port} over TCP; what it answered. */
  private static int notify(CallContext context, int port, String what) {
    String host = ((InetSocketAddress) context.remoteAddress()).getAddress().getHostAddress();
    try (RpcClient back = RpcClient.builder().address(host, port).transport(Transport.TCP)
        .timeout(Duration.ofSeconds(30)).build()) {
      return back.call(NOTIFY, what);
    }
  }
}
