package org.onyxrpc.directory.rpcbind;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.transport.Transport;

/** A directory server on a free loopback port over a fresh in-memory store, and clients of it. */
final class DirectoryFixture implements AutoCloseable {
  final LocalDirectory directory;
  final DirectoryServer server;

  DirectoryFixture() throws IOException {
    this(0);
  }

  /** A directory whose leases start and end by {@code clock}. */
  DirectoryFixture(Clock clock) throws IOException {
    this(new LocalDirectory(new InMemoryDirectoryStore(), clock), 0, null);
  }

  /** A directory over {@code directory}, on a free loopback port. */
  DirectoryFixture(LocalDirectory directory) throws IOException {
    this(directory, 0, null);
  }

  DirectoryFixture(int port) throws IOException {
    this(port, null);
  }

  /** A directory on {@code port} that also listens on a Unix socket at {@code localSocket} (if not null). */
  DirectoryFixture(int port, java.nio.file.Path localSocket) throws IOException {
    this(new LocalDirectory(new InMemoryDirectoryStore()), port, localSocket);
  }

  /**
   * A directory whose one caller may fill the store: no share of its own below the store's
   * bound (see {@link DirectoryServer.Builder#maxEntriesPerCaller}), for tests of that bound,
   * and no pace of its changes (see {@link CallerWriteRates}) but as fast as it calls.
   */
  static DirectoryFixture withoutCallerShares() throws IOException {
    return new DirectoryFixture(new LocalDirectory(new InMemoryDirectoryStore()), 0, null,
        InMemoryDirectoryStore.DEFAULT_MAX_ENTRIES, true);
  }

  private DirectoryFixture(LocalDirectory directory, int port, java.nio.file.Path localSocket) throws IOException {
    this(directory, port, localSocket, CallerShares.DEFAULT_MAX_ENTRIES_PER_CALLER);
  }

  private DirectoryFixture(LocalDirectory directory, int port, java.nio.file.Path localSocket,
      int maxEntriesPerCaller) throws IOException {
    this(directory, port, localSocket, maxEntriesPerCaller, false);
  }

  private DirectoryFixture(LocalDirectory directory, int port, java.nio.file.Path localSocket,
      int maxEntriesPerCaller, boolean unpaced) throws IOException {
    this.directory = directory;
    DirectoryServer.Builder b = DirectoryServer.builder()
        .bind(InetAddress.getLoopbackAddress(), port)
        .directory(directory)
        .maxEntriesPerCaller(maxEntriesPerCaller);
    if (unpaced) {
      b.changesPerCaller(Integer.MAX_VALUE, Integer.MAX_VALUE);
    }
    server = (localSocket == null ? b : b.localSocket(localSocket)).build().start();
  }

  int port() {
    return server.port();
  }

  /** A client of the directory calling with AUTH_SYS as {@code uid}. */
  RpcClient client(Transport transport, int uid) {
    return RpcClient.builder().address("127.0.0.1", port()).transport(transport)
        .credentials(new AuthSys(0, "test", uid, uid, new int[0]))
        .timeout(java.time.Duration.ofSeconds(5))
        .build();
  }

  /** A remote directory view of it. */
  RemoteDirectory remote() {
    return RemoteDirectory.builder().address("127.0.0.1", port()).build();
  }

  @Override
  public void close() {
    server.close();
    directory.close();
  }
}
