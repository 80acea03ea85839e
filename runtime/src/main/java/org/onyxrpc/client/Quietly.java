package org.onyxrpc.client;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Closing what a lost connection leaves behind, where a failure to close changes nothing. */
final class Quietly {
  private static final Logger LOG = LoggerFactory.getLogger(Quietly.class);

  private Quietly() {}

  /** Closes {@code c} if there is one; a failure is logged at debug level only. */
  static void close(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      LOG.debug("closing {}: {}", c, e.toString());
    }
  }
}
