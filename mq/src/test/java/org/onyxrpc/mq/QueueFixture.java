package org.onyxrpc.mq;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.rpc.Credentials;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.testing.Await;

/** A queue server on loopback TCP and clients of it, as given uids; closes all of it. */
final class QueueFixture implements AutoCloseable {
  final QueueServer queues;
  final RpcServer server;
  private final List<RpcClient> clients = new ArrayList<>();

  QueueFixture() throws IOException {
    this(QueueServer.builder().build());
  }

  QueueFixture(QueueServer queues) throws IOException {
    this(queues, RpcServer.builder()
        .bind(InetAddress.getLoopbackAddress(), 0)
        .directory(Directory.none())
        .addService(queues.service())
        .build()
        .start());
  }

  /** A fixture of a server started elsewhere (with limits of its own), serving {@code queues}. */
  QueueFixture(QueueServer queues, RpcServer server) {
    this.queues = queues;
    this.server = server;
  }

  /** A client that says it is uid:gid with no other groups. */
  RpcClient client(int uid, int gid, int... groups) {
    return client(new AuthSys(0, "test", uid, gid, groups));
  }

  RpcClient client(Credentials credentials) {
    return client(server.port(), credentials);
  }

  RpcClient client(int port, Credentials credentials) {
    RpcClient c = RpcClient.builder().address("127.0.0.1", port).credentials(credentials)
        .timeout(Duration.ofSeconds(20)).build();
    clients.add(c);
    return c;
  }

  /**
   * The stats of {@code name} once {@code condition} holds (waits for the server's event, a minute
   * at most: a lease's end or a parked call may come seconds late on a loaded machine).
   */
  QueueStats awaitStats(String name, Predicate<QueueStats> condition) {
    AtomicReference<QueueStats> last = new AtomicReference<>();
    if (!Await.within(() -> {
      QueueStats s = queues.stats().stream().filter(q -> q.name().equals(name)).findFirst().orElse(null);
      last.set(s);
      return s != null && condition.test(s);
    }, Duration.ofMinutes(1))) {
      throw new AssertionError("queue " + name + " never reached the expected state: " + last.get());
    }
    return last.get();
  }

  @Override
  public void close() {
    queues.close(); // first: it answers the waiting calls, which the server's shutdown would wait for
    server.close();
    clients.forEach(RpcClient::close);
  }
}
