package org.onyxrpc.client;

import io.netty.channel.ConnectTimeoutException;
import java.io.FileNotFoundException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.internal.transport.SystemErrors;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a client's failed calls truthfully: decides between UNAVAILABLE (no transmission ever
 * left, so it did not run), OUTCOME_UNKNOWN (it went out and no reply can come any more) and
 * TIMEOUT (its deadline passed after it went out), or sends a retransmitting call again sooner.
 * One per client; its methods run on the client's {@link CallOwner}.
 */
final class CallFailures {
  // The client's logger: one setting covers all that a client logs.
  private static final Logger LOG = LoggerFactory.getLogger(RpcClient.class);

  private final String peer;
  // UDP has no connection to lose: its calls that go unanswered are said to get no reply.
  private final boolean datagrams;
  private final OutstandingCalls calls;
  private final CallTimer timer;
  private final CallArming arming;
  private final ClientCounters counters;
  // Whether the NULL ping that goes before a call's first transmission has gone out.
  private final BooleanSupplier pingSent;
  // A line per call would flood the log while a server is down: one per kind and interval.
  private final RateLimitedLog notSentLines;
  private final RateLimitedLog outcomeUnknownLines;
  private final RateLimitedLog lostLines;
  private final RateLimitedLog timeoutLines;
  private final RateLimitedLog refusedLines;
  /**
   * The xids of calls sent again because they never left a lost connection: one that never
   * leaves the next either ends UNAVAILABLE, so that a server that closes every connection before
   * the call is written does not have it sent again and again. Pruned at each loss to the calls
   * still outstanding; empty but for such losses.
   */
  private final Set<Integer> resentOnce = new HashSet<>();

  CallFailures(String peer, boolean datagrams, OutstandingCalls calls, CallTimer timer,
      CallArming arming, ClientCounters counters, BooleanSupplier pingSent) {
    this.peer = peer;
    this.datagrams = datagrams;
    this.calls = calls;
    this.timer = timer;
    this.arming = arming;
    this.counters = counters;
    this.pingSent = pingSent;
    this.notSentLines = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL, timer::nanoTime);
    this.outcomeUnknownLines = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL, timer::nanoTime);
    this.lostLines = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL, timer::nanoTime);
    this.timeoutLines = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL, timer::nanoTime);
    this.refusedLines = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL, timer::nanoTime);
  }

  /** Between a refused call's description and peer, and the refusal (see {@link #refused}). */
  private static final String DID_NOT_RUN = " did not run: ";

  /**
   * The message of a call made on a closed client: CANCELLED alone reads "may have run", so it
   * names the call and says that it never left.
   */
  static String closedClient(PendingCall<?, ?> call, String peer) {
    return call.procedure.describe() + " not sent: the client to " + peer + " is closed";
  }

  /** Why calls to a UDP server whose port is closed end before their deadlines. */
  static final String NOTHING_LISTENS = "nothing listens at the server's port (ICMP port unreachable)";

  /** What Netty puts after them: the address, ": /127.0.0.1:9", which the message names already. */
  private static final Pattern ADDRESS = Pattern.compile(": [^ /]*/[^ ]+$");

  /** What a failed connect or probe says, for a message: its own words, else what it is. */
  static String reason(Throwable failure) {
    Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (t instanceof UnknownHostException && t.getMessage() != null) {
      return "unknown host " + t.getMessage(); // its own words are the bare name
    }
    if (t instanceof FileNotFoundException && t.getMessage() == null) {
      return "no such socket file"; // a Unix-domain connect to a path that is not there
    }
    if (t instanceof ConnectException && t.getMessage() != null) {
      // The system's words alone ("Connection refused"), as the JDK's own sockets say them.
      String words = ADDRESS.matcher(SystemErrors.withoutNativeCall(t.getMessage())).replaceFirst("");
      return words.isEmpty() ? t.getMessage() : words;
    }
    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
  }

  /**
   * What a failed connect or probe was, for the cause of the call it kept from going out: the
   * resolver's or the socket's own exception, so that a caller can tell an unknown host by its
   * type rather than by the words of {@link #reason}. A NULL ping that went first failed with its
   * own such exception as cause: the call gets that, not the ping's.
   */
  static Throwable cause(Throwable failure) {
    Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    return t instanceof RpcException && t.getCause() != null ? t.getCause() : t;
  }

  /**
   * A transmission that could not go out. A call none of whose transmissions ever left cannot
   * have run: it fails now with UNAVAILABLE, and the caller may go elsewhere. One that went out
   * before, on a connection since lost, may have run: when the server cannot be reached again
   * (it died, or a non-Onyx server reset us), waiting longer would only delay the same answer,
   * so it fails now with OUTCOME_UNKNOWN. Otherwise a retransmitting call is tried again until
   * its deadline.
   */
  void notSent(PendingCall<?, ?> call, Throwable failure, boolean unreachable) {
    notSent(call, reason(failure), cause(failure), unreachable);
  }

  /** As {@link #notSent(PendingCall, Throwable, boolean)}, for a reason that has no exception: {@code cause} null. */
  void notSent(PendingCall<?, ?> call, String reason, Throwable cause, boolean unreachable) {
    if (call.retry != null) {
      call.retry.lastFailure = reason;
      call.retry.lastFailureCause = cause;
    }
    if (!call.expectReply) {
      notSentLines.info(LOG, "{} to {}: not sent: {}", logged(call), peer, met(reason));
      call.fail(RpcStatus.UNAVAILABLE, notDelivered(call, reason, cause), cause);
      return;
    }
    if (unreachable || !call.retransmits()) {
      if (calls.remove(call)) {
        if (call.sent) {
          failMayHaveRun(call, "then " + reason);
        } else {
          notSentLines.info(LOG, "{} to {}: not sent: {}", logged(call), peer, met(reason));
          call.fail(RpcStatus.UNAVAILABLE, notDelivered(call, reason, cause), cause);
        }
      }
      return;
    }
    Retransmission retry = call.retry;
    retry.nextAttemptNanos = timer.nanoTime() + CallArming.reconnectBackoff(retry.attemptTimeoutNanos, retry.tries);
    arming.rearm(call); // sooner than it was set for
  }

  /**
   * What a log line calls {@code call}. The client's own NULL ping (the tag probe) is nothing the
   * caller asked for: named as a bare NULL call, it left a user who called add wondering who sent
   * a NULL.
   */
  private static String logged(PendingCall<?, ?> call) {
    return call.limited ? call.procedure.describe()
        : "the client's own ping, " + call.procedure.describe() + ", which goes before its first retransmitting call,";
  }

  /**
   * Why {@code call} did not go out. A reason that is itself such a message (the NULL ping's,
   * which went first) gives only what it met, so the message says it once. A refusal by the
   * server's machine (TCP's "Connection refused", UDP's ICMP port unreachable) says that nothing
   * listens there: the host was reached, so "cannot reach" would send the reader to look at the
   * network rather than at the server that is not running.
   */
  private String notDelivered(PendingCall<?, ?> call, String reason, Throwable cause) {
    String met = met(reason);
    if (met.equals(NOTHING_LISTENS)) {
      return NOTHING_LISTENS_AT + peer + " to call " + call.procedure.describe() + ": ICMP port unreachable";
    }
    return (refusedByHost(met, cause) ? NOTHING_LISTENS_AT : CANNOT_REACH) + peer + " to call "
        + call.procedure.describe() + ": " + met;
  }

  private static final String CANNOT_REACH = "cannot reach ";
  private static final String NOTHING_LISTENS_AT = "nothing listens at ";

  /**
   * Whether the server's machine answered the connect with a refusal (RST): the system's words
   * for ECONNREFUSED, on a {@link ConnectException} (not a connect timeout, nor no route).
   */
  private static boolean refusedByHost(String met, Throwable cause) {
    return cause instanceof ConnectException && !(cause instanceof ConnectTimeoutException)
        && met.regionMatches(true, 0, "Connection refused", 0, "Connection refused".length());
  }

  /**
   * What a reason met, without the "cannot reach ... to call NULL" (or "nothing listens at ...")
   * of a ping that went first, nor the "NULL ... did not run" of one whose connection the server
   * refused (see {@link #refused}).
   */
  private String met(String reason) {
    for (String head : new String[] {CANNOT_REACH, NOTHING_LISTENS_AT}) {
      String prefix = head + peer + " to call ";
      int met = reason.startsWith(prefix) ? reason.indexOf(": ", prefix.length()) : -1;
      if (met >= 0) {
        String rest = reason.substring(met + 2);
        // The ping's own UDP refusal, said short: give back the reason it stands for.
        return head.equals(NOTHING_LISTENS_AT) && rest.equals("ICMP port unreachable") ? NOTHING_LISTENS : rest;
      }
    }
    // A procedure's description has no ": ", so the first one is the refusal's.
    String didNotRun = " to " + peer + DID_NOT_RUN;
    int refused = reason.indexOf(didNotRun);
    return refused >= 0 && refused < reason.indexOf(": ") + 1
        ? reason.substring(refused + didNotRun.length()) : reason;
  }

  /**
   * How many transmissions of {@code call} went out, for a message, when more than one: those
   * handed to a connection, not the attempts (a retransmission whose reconnect was refused never
   * left, and saying it did would claim more than the client knows).
   */
  private static String transmissions(PendingCall<?, ?> call) {
    return call.transmissions > 1 ? " (" + call.transmissions + " transmissions)" : "";
  }

  /** Ends a call that went out and got no reply, nor ever can: it may or may not have run. */
  private void failMayHaveRun(PendingCall<?, ?> call, String what) {
    String attempts = transmissions(call);
    if (call.limited) {
      counters.outcomeUnknown.increment();
      outcomeUnknownLines.info(LOG, "{} to {}: outcome unknown: {} after sending{}, {}",
          call.procedure.describe(), peer, datagrams ? "no reply" : "connection lost", attempts, what);
    } else {
      // The client's own NULL ping (the tag probe): nothing the caller asked for, so neither
      // counted nor told as an outcome; the calls that wait for it are asked again.
      LOG.debug("{} to {}: the client's NULL ping was lost: {}", call.procedure.describe(), peer,
          what);
    }
    call.fail(RpcStatus.OUTCOME_UNKNOWN, call.procedure.describe() + " may have executed: it was"
        + " sent to " + peer + attempts + (datagrams ? ", no reply came, "
            : ", the connection was lost before its reply, ") + what, null);
  }

  /**
   * When a connection closed: its one-shot calls, which went out on it, end now (they may have
   * run); the others go again on a new one. A one-shot call none of whose bytes reached the
   * socket never left: it goes again ({@code resend}), once; if it does not leave that one
   * either, it ends UNAVAILABLE. {@code clientClosed}: the client closed it, which is not worth
   * a log line.
   */
  void connectionLost(Connection connection, boolean clientClosed, Consumer<PendingCall<?, ?>> resend) {
    String refusal = connection.refusal();
    if (refusal != null) {
      refused(connection, refusal);
      return;
    }
    long now = timer.nanoTime();
    boolean nothingListens = connection.nothingListens();
    String why = connection.lostBecause();
    String lost = why == null ? "connection lost" : "connection lost: " + why;
    if (!clientClosed) {
      lostLines.info(LOG, nothingListens ? "nothing listens at {}: ICMP port unreachable"
          : "connection to {} lost", peer);
    }
    List<PendingCall<?, ?>> outstanding = calls.all();
    if (!resentOnce.isEmpty()) {
      Set<Integer> xids = new HashSet<>();
      outstanding.forEach(call -> xids.add(call.xid));
      resentOnce.retainAll(xids);
    }
    for (PendingCall<?, ?> call : outstanding) {
      if (call.connection != connection) {
        continue;
      }
      if (!clientClosed && !nothingListens && call.expectReply && !call.retransmits()
          && connection.neverLeft(call)) {
        call.neverSent(); // it cannot have run
        if (resentOnce.add(call.xid)) {
          resend.accept(call); // as a call that finds its connection closed goes on a new one
        } else {
          resentOnce.remove(call.xid);
          notSent(call, "the connection it was sent again on was lost too before it was written"
              + (why == null ? "" : " (" + why + ")"), null, true);
        }
      } else if (!call.retransmits() || nothingListens) {
        // A datagram that went out may have run before the server went; sent again, it would
        // only meet the closed port until the deadline.
        if (calls.remove(call)) {
          failMayHaveRun(call, nothingListens ? "then " + NOTHING_LISTENS
              : "and " + call.semantics() + " does not send it again" + (why == null ? "" : " (" + why + ")"));
        }
      } else {
        Retransmission retry = call.retry;
        if (retry.atMostOnce && retry.tagged) {
          // The new connection may reach another server (one that took the port): asked first.
          retry.reconfirm = true;
        }
        retry.lastFailure = lost;
        retry.lastFailureCause = null;
        retry.nextAttemptNanos = now + CallArming.reconnectBackoff(retry.attemptTimeoutNanos, retry.tries);
        arming.rearm(call); // sooner than it was set for
      }
    }
  }

  /**
   * An at-most-once call sent tagged on a lost connection, whose new one reaches a server that
   * does not filter duplicates ({@code tagged}: an Onyx one that keeps no cache, else one that
   * answers untagged): it may have run, and sent again it might run twice.
   */
  void notSentAgain(PendingCall<?, ?> call, boolean tagged) {
    if (calls.remove(call)) {
      failMayHaveRun(call, "and the server now there does not filter duplicates ("
          + (tagged ? "its tag says it keeps no duplicate request cache" : "it answers untagged")
          + "), so " + call.semantics() + " does not send it again");
    }
  }

  /**
   * When the server refused a connection before reading anything on it (see {@link TlsRefusal}):
   * its calls did not run there, and a new connection would be refused alike, so they end now
   * rather than at their deadlines: UNAVAILABLE, or OUTCOME_UNKNOWN for one that went out on an
   * earlier connection.
   */
  private void refused(Connection connection, String refusal) {
    refusedLines.warn(LOG, "{}: {}", peer, refusal); // an application may retry in a loop
    for (PendingCall<?, ?> call : calls.all()) {
      if (call.connection != connection || !calls.remove(call)) {
        continue;
      }
      if (call.retry != null && call.retry.sentOnAnother) {
        failMayHaveRun(call, "then " + refusal);
      } else {
        call.fail(RpcStatus.UNAVAILABLE, call.procedure.describe() + " to " + peer
            + DID_NOT_RUN + refusal, null);
      }
    }
  }

  /**
   * Ends a call at its deadline: TIMEOUT if any transmission went out (it may have run),
   * UNAVAILABLE only if none ever did.
   */
  void expire(PendingCall<?, ?> call) {
    if (call.expectReply ? !calls.remove(call) : call.isDone()) {
      return;
    }
    String attempts = transmissions(call);
    String lastFailure = call.lastFailure();
    if (!call.sent && lastFailure != null) {
      notSentLines.info(LOG, "{} to {}: unreachable until its deadline: {}", call.procedure.describe(), peer,
          met(lastFailure));
      call.fail(RpcStatus.UNAVAILABLE, notDelivered(call, lastFailure, call.retry.lastFailureCause),
          call.retry.lastFailureCause);
      return;
    }
    if (call.limited) {
      counters.timeouts.increment();
      timeoutLines.info(LOG, "{} to {}: no reply within {} ms{}", call.procedure.describe(), peer,
          TimeUnit.NANOSECONDS.toMillis(call.budgetNanos), attempts);
    } else {
      // The client's own NULL ping (the tag probe), as in failMayHaveRun: the calls that wait
      // for it tell their own outcome, counted and logged once each.
      LOG.debug("{} to {}: the client's NULL ping had no reply within {} ms{}",
          call.procedure.describe(), peer, TimeUnit.NANOSECONDS.toMillis(call.budgetNanos), attempts);
    }
    String unsent = call.retry == null || call.retry.settled ? ""
        : pingSent.getAsBoolean() ? " (not sent: the server did not answer the NULL ping that comes first)"
        // Not even the ping went out: a TCP connect or a TLS handshake still in progress.
        : " (not sent: the connection was still being set up, connecting or starting TLS)";
    String lastly = call.sent && lastFailure != null ? "; lastly: " + lastFailure : "";
    call.fail(RpcStatus.TIMEOUT, "no reply from " + peer + " to " + call.procedure.describe()
        + " within " + TimeUnit.NANOSECONDS.toMillis(call.budgetNanos) + " ms" + attempts + unsent
        + lastly, null);
  }
}
