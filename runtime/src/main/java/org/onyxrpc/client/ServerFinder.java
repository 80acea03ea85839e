package org.onyxrpc.client;

import java.io.FileNotFoundException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.onyxrpc.internal.DirectoryThreads;

/**
 * The server's address of a client built by name ({@code RpcClientBuilder.directory}): the one
 * found at build(), looked up again when a connection to it cannot be made (refused,
 * unreachable, timed out) or, over UDP, when nothing listened at it any more, as grpc-java's
 * name resolver is refreshed when its connection fails. A server restarted on another port (port
 * 0, a rolling restart) is then found where the directory now has it, where every call failed
 * "nothing listens at" the old port for ever.
 *
 * <p>Owned by the client's {@link CallOwner}, as its {@link Connector}: no lock. At most one
 * look-up runs at a time (it is part of the connection being made, which every call waits for),
 * never on an event loop (it is itself an RPC to the directory: it runs on a directory worker),
 * and not sooner after the last than the reconnect backoff ({@link CallArming#reconnectBackoff}
 * of the attempt timeout, doubled per look-up that found nothing new), so a server that is down
 * for good costs its directory one look-up a second or so, however many calls fail meanwhile.
 */
final class ServerFinder {
  /**
   * Where look-ups run: the directory workers every announcement and directory client of the
   * process shares, held while this client is open and gone with their last user.
   */
  private final DirectoryThreads threads = DirectoryThreads.SHARED.acquire();
  private final Supplier<SocketAddress> lookUp;
  private final String directory;
  private final CallTimer timer;
  private final long attemptTimeoutNanos;
  private volatile SocketAddress address; // read per connection, and by RpcClient.address()
  /** Nothing listened at {@link #address} (UDP's ICMP port unreachable): look up before connecting. */
  private boolean suspect;
  private long notBeforeNanos;
  private boolean lookedUpOnce;
  private int fruitless;

  /**
   * {@code lookUp} blocks and returns the directory's address now, or throws; {@code directory}
   * names it for a message.
   */
  ServerFinder(SocketAddress first, Supplier<SocketAddress> lookUp, String directory, CallTimer timer,
      long attemptTimeoutNanos) {
    this.address = first;
    this.lookUp = lookUp;
    this.directory = directory;
    this.timer = timer;
    this.attemptTimeoutNanos = attemptTimeoutNanos;
  }

  /** The address connections are made to now. */
  SocketAddress address() {
    return address;
  }

  /** Nothing listens at the address any more (a datagram's ICMP port unreachable). */
  void nothingListens() {
    suspect = true;
  }

  /** Whether to look up before the next connect, rather than connect to {@link #address} first. */
  boolean lookUpFirst() {
    return suspect && mayLookUp();
  }

  /**
   * Whether a connect's failure is one a new address may cure: refused (or, over Unix, no socket
   * file), no route, timed out. An unknown host name, a TLS refusal and the like are not.
   */
  static boolean addressMayBeStale(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof NoRouteToHostException
          || t instanceof FileNotFoundException || PortUnreachable.is(t)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a look-up may start now: none within the backoff since the last. */
  boolean mayLookUp() {
    return !lookedUpOnce || timer.nanoTime() - notBeforeNanos >= 0;
  }

  /**
   * Looks the server up again, off this thread. The future completes, on the look-up's thread,
   * with the directory's address, or with its failure. {@link #found} or {@link #notFound} must
   * follow on the owner.
   */
  CompletableFuture<SocketAddress> lookUp() {
    lookedUpOnce = true;
    notBeforeNanos = timer.nanoTime() + CallArming.reconnectBackoff(attemptTimeoutNanos, ++fruitless);
    try {
      return CompletableFuture.supplyAsync(lookUp, threads.workers);
    } catch (java.util.concurrent.RejectedExecutionException e) { // closed meanwhile
      return CompletableFuture.failedFuture(new IllegalStateException("client closed", e));
    }
  }

  /** On the owner: the look-up gave {@code found}; true if it is a new address, used from now on. */
  boolean found(SocketAddress found) {
    suspect = false;
    if (found.equals(address)) {
      return false;
    }
    address = found;
    fruitless = 0; // the next look-up, at the server's next restart, waits the least again
    return true;
  }

  /** Lets go of the directory workers: the client closed. */
  void close() {
    DirectoryThreads.SHARED.release(threads);
  }

  /** For a failure's message: what asking the directory again gave, when it gave nothing new. */
  String sameAddress() {
    return "looked up again, " + directory + " still gives that address";
  }

  /** For a failure's message: the directory could not be asked; the old address is kept. */
  String notFound(Throwable failure) {
    Throwable t = unwrapped(failure);
    return "looking it up again in " + directory + " failed (" + CallFailures.reason(t)
        + "); the client keeps that address and asks again later";
  }

  /** A failure as its future's stage reported it: without the CompletionException around it. */
  static Throwable unwrapped(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
  }
}
