package org.onyxrpc.directory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.transport.Transport;

/**
 * Several directories of one ensemble (e.g. ZooKeeper-backed directories on several machines),
 * used as one: each call goes to the directory that last answered, and on to the next when that
 * one cannot be reached. A server given one ({@code RpcServer.builder().directory(...)}) renews
 * through another directory when its own is gone, so it stays visible while ZooKeeper and any
 * other directory are up; a client looks up through whichever answers.
 *
 * <p>A directory on another machine takes registrations only when it allows remote registration
 * ({@code --allow-remote-registration}); it stores a server bound to every interface at the
 * address the registration came from.
 */
public final class FailoverDirectory implements Directory {
  private final List<Directory> directories;
  /** Index of the directory that answered last: where the next call starts. */
  private volatile int current;

  private FailoverDirectory(List<Directory> directories) {
    this.directories = List.copyOf(directories);
  }

  /**
   * The directories, tried in this order first, then from the last that answered.
   *
   * @param directories at least one
   * @return the directory
   * @throws IllegalArgumentException if {@code directories} is empty
   */
  public static FailoverDirectory of(List<? extends Directory> directories) {
    if (directories.isEmpty()) {
      throw new IllegalArgumentException("at least one directory");
    }
    return new FailoverDirectory(List.copyOf(directories));
  }

  @Override
  public Duration register(ServiceInstance instance, Duration lease) {
    return call(d -> d.register(instance, lease));
  }

  @Override
  public boolean unregister(ServiceInstance instance) {
    return call(d -> d.unregister(instance));
  }

  @Override
  public List<ServiceInstance> lookup(String name) {
    return call(d -> d.lookup(name));
  }

  @Override
  public List<ServiceInstance> lookup(int program, int version) {
    return call(d -> d.lookup(program, version));
  }

  @Override
  public List<Integer> versions(int program, Transport transport) {
    return call(d -> d.versions(program, transport));
  }

  /** As the directory that answered last reads it: the one whose answer the entry came from. */
  @Override
  public InetSocketAddress socketAddress(ServiceInstance entry) {
    return directories.get(current).socketAddress(entry);
  }

  private <T> T call(java.util.function.Function<Directory, T> operation) {
    int start = current;
    RuntimeException last = null;
    for (int k = 0; k < directories.size(); k++) {
      int i = (start + k) % directories.size();
      try {
        T result = operation.apply(directories.get(i));
        current = i;
        return result;
      } catch (RpcException e) {
        if (!unreachable(e)) {
          throw e; // the directory answered: a refusal is its word, not a reason to ask another
        }
        last = e;
      }
    }
    throw new RpcException(RpcStatus.UNAVAILABLE, "no directory of " + this + " could be reached: "
        + last.getMessage(), last);
  }

  /** A failure that says nothing about the answer: the directory did not answer, or its store is down. */
  private static boolean unreachable(RpcException e) {
    return switch (e.status()) {
      case UNAVAILABLE, TIMEOUT, OUTCOME_UNKNOWN, SYSTEM_ERR -> true;
      default -> false;
    };
  }

  @Override
  public String toString() {
    return "directories " + directories;
  }
}
