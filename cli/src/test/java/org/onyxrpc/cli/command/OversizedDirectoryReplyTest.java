package org.onyxrpc.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onyxrpc.cli.command.CommandRun.onyx;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.testing.OversizedReplyPeer;

/**
 * onyx list and watch take from a directory no more than its longest sensible reply, as {@code
 * RemoteDirectory} does, not the 16 MiB any client takes: a directory (or whatever answers on
 * the port given) that announces a longer reply is told at once, with the limit, not waited on
 * until --timeout while its bytes are buffered.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class OversizedDirectoryReplyTest {
  @Test
  void aDirectoryAnnouncingALongerReplyIsToldAtOnce() throws Exception {
    try (OversizedReplyPeer peer = OversizedReplyPeer.start(Portmap.MAX_REPLY_BYTES + 1)) {
      String at = "127.0.0.1:" + peer.port();
      // Longer than a refusal takes: before, the command sat until it, then said TIMEOUT.
      for (String[] args : List.of(new String[] {"list", at, "--timeout", "20s"},
          new String[] {"watch", at, "--count", "1", "--timeout", "20s"})) {
        CommandRun r = onyx(args);
        assertEquals(4, r.exit(), r.toString());
        assertTrue(r.out().contains("exceeds the maximum of " + Portmap.MAX_REPLY_BYTES), r.toString());
      }
    }
  }
}
