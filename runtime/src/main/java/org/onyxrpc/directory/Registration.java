package org.onyxrpc.directory;

/**
 * An entry as a {@link DirectoryStore} keeps it: the instance and when its lease ends.
 *
 * @param instance where the service listens
 * @param expiresAtMillis when the lease ends, in {@link System#currentTimeMillis()} time;
 *     {@link #PERMANENT} for an rpcbind SET, which lasts until UNSET
 */
public record Registration(ServiceInstance instance, long expiresAtMillis) {
  /** No lease: the entry stays until it is removed. */
  public static final long PERMANENT = Long.MAX_VALUE;

  /**
   * True if the lease has ended at {@code nowMillis}.
   *
   * @param nowMillis the time, in milliseconds of the directory's clock
   * @return whether the lease has ended
   */
  public boolean expired(long nowMillis) {
    return expiresAtMillis <= nowMillis;
  }
}
