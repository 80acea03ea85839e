package org.onyxrpc.mq.internal.server;

import java.time.Duration;

/** Host configurations the server's tests share. */
final class TestHostConfigs {
  private TestHostConfigs() {}

  /**
   * Limits no test reaches (256 queues, 1 MiB messages, 1 GiB of data ...), leases of one and two
   * minutes, and nothing kept on disk.
   */
  static HostConfig inMemory() {
    return new HostConfig(256, 65_536, 1 << 20, 1L << 30, 256, 1L << 30, 1024, 65_536, 1024,
        64 << 20, 16 << 20, Duration.ofMinutes(1), Duration.ofMinutes(2), null);
  }
}
