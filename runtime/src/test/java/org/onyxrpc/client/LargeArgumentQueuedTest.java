package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.testing.TestService;

/**
 * The caller-runs client wraps a large array argument in its record and copies the record into
 * direct memory as it writes it, keeping what the socket does not take at once: once the call
 * has ended (here at its deadline, with most of its bytes still queued), its caller may change
 * the array, and the server must still get the bytes of the call as made. (Until then the
 * arguments are the call's: a call waiting for its turn is encoded when it is sent.)
 */
class LargeArgumentQueuedTest {
  private static final int BYTES = 4 << 20; // far beyond what the sockets hold

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void whatTheSocketDoesNotTakeIsSentAsTheCallerGaveIt() throws Exception {
    try (ServerSocket slow = new ServerSocket()) {
      slow.setReceiveBufferSize(4096);
      slow.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
        try {
          return slow.accept(); // and reads nothing until the test says
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }, runnable -> new Thread(runnable, "slow-server").start());
      // Any deadline: the call is written, on the client's owner, before its deadline can end it.
      CallOptions maybe = CallOptions.DEFAULT.withSemantics(CallSemantics.MAYBE)
          .withDeadline(Duration.ofMillis(200));
      try (RpcClient client = RpcClient.builder().address("127.0.0.1", slow.getLocalPort())
              .ioStrategy(IoStrategy.CALLER_RUNS).build()) {
        // Connected first: a call that waits for its connection is written once it is made.
        client.sendAndWait(TestService.LOG, "connected", CallOptions.DEFAULT);
        try (Socket server = accepted.get(1, TimeUnit.MINUTES)) {
          DataInputStream in = new DataInputStream(server.getInputStream());
          readRecord(in); // the one-way call
          byte[] args = new byte[BYTES];
          Arrays.fill(args, (byte) 0x5a);
          CompletableFuture<byte[]> call = client.callAsync(TestService.BLOB, args, maybe);
          Throwable failure = call.handle((result, f) -> f).get(1, TimeUnit.MINUTES);
          assertNotNull(failure, "no reply can come: the server reads nothing yet");
          Arrays.fill(args, (byte) 0); // the call has ended: the array is its caller's again

          byte[] record = readRecord(in);
          byte[] sent = Arrays.copyOfRange(record, record.length - BYTES, record.length);
          byte[] expected = new byte[BYTES];
          Arrays.fill(expected, (byte) 0x5a);
          assertEquals(-1, Arrays.mismatch(expected, sent), "the server got the array as changed");
        }
      }
    }
  }

  /** One record, its fragments joined. */
  private static byte[] readRecord(DataInputStream in) throws IOException {
    byte[] record = new byte[0];
    boolean last = false;
    while (!last) {
      int mark = in.readInt();
      last = mark < 0;
      byte[] fragment = new byte[mark & 0x7fff_ffff];
      in.readFully(fragment);
      byte[] joined = Arrays.copyOf(record, record.length + fragment.length);
      System.arraycopy(fragment, 0, joined, record.length, fragment.length);
      record = joined;
    }
    return record;
  }
}
