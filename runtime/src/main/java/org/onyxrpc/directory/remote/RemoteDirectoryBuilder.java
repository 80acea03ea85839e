package org.onyxrpc.directory.remote;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/** Configures a {@link RemoteDirectory}; {@link #build()} copies what it holds. */
public final class RemoteDirectoryBuilder {
  private InetSocketAddress address;
  private Duration timeout = Duration.ofSeconds(5);

  RemoteDirectoryBuilder() {}

  /**
   * The directory's host and port (111 for rpcbind).
   *
   * @param host the directory's host name or address
   * @param port the directory's port
   * @return this builder
   */
  public RemoteDirectoryBuilder address(String host, int port) {
    Objects.requireNonNull(host, "host"); // not the JDK's IllegalArgumentException "hostname can't be null"
    return address(new InetSocketAddress(host, port));
  }

  /**
   * The directory's socket address.
   *
   * @param address the directory's address; not null
   * @return this builder
   */
  public RemoteDirectoryBuilder address(InetSocketAddress address) {
    this.address = Objects.requireNonNull(address, "address");
    return this;
  }

  /**
   * How long a call to the directory may take, connecting included; default 5 s.
   *
   * @param timeout more than zero
   * @return this builder
   * @throws IllegalArgumentException if {@code timeout} is zero or negative
   */
  public RemoteDirectoryBuilder timeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    this.timeout = timeout;
    return this;
  }

  /**
   * The directory client; it connects on first use.
   *
   * @return a new directory client, which the caller closes
   * @throws IllegalStateException if no address was given
   */
  public RemoteDirectory build() {
    if (address == null) {
      throw new IllegalStateException("address is required");
    }
    return new RemoteDirectory(new RemoteDirectoryConfig(address, timeout));
  }
}
