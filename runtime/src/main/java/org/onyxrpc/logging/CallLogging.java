package org.onyxrpc.logging;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Locale;
import org.onyxrpc.client.ClientCall;
import org.onyxrpc.client.ClientInterceptor;
import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.ServerCall;
import org.onyxrpc.server.ServerInterceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one line per call through SLF4J: program.version.procedure (and the procedure's name),
 * status, duration and peer. Off by default: nothing is logged until it is installed on a client
 * or server, and then only while its logger is enabled at {@code INFO}.
 *
 * <pre>{@code
 * RpcClient client = RpcClient.builder().address("localhost", 4711)
 *     .intercept(CallLogging.client()).build();
 * RpcServer server = RpcServer.builder().port(4711).addService(service)
 *     .intercept(CallLogging.server()).build();
 * }</pre>
 *
 * <p>The client logs to {@value #CLIENT_LOGGER}, the server to {@value #SERVER_LOGGER}:
 * <pre>
 * call 536871169.1.1 Test.add SUCCESS 0.412 ms to tcp 127.0.0.1:4711
 * served 536871169.1.1 Test.add SYSTEM_ERR 0.093 ms from tcp 127.0.0.1:53012: disk full
 * </pre>
 *
 * <p>A server's line for a call that failed ends with what was thrown: the reason an interceptor
 * gave for refusing it, or the procedure's exception's message.
 */
public final class CallLogging implements ClientInterceptor, ServerInterceptor {
  /** The logger of a client's calls. */
  public static final String CLIENT_LOGGER = "org.onyxrpc.calls.client";
  /** The logger of a server's calls. */
  public static final String SERVER_LOGGER = "org.onyxrpc.calls.server";

  /** Longest peer name logged: a Unix socket's path is at most 108 bytes. */
  private static final int MAX_NAME = 128;

  private final Logger log;

  CallLogging(Logger log) {
    this.log = log;
  }

  /**
   * Logs a client's calls to {@value #CLIENT_LOGGER}.
   *
   * @return a new interceptor, for a client builder's {@code intercept}
   */
  public static ClientInterceptor client() {
    return new CallLogging(LoggerFactory.getLogger(CLIENT_LOGGER));
  }

  /**
   * Logs a server's calls to {@value #SERVER_LOGGER}.
   *
   * @return a new interceptor, for a server builder's {@code intercept}
   */
  public static ServerInterceptor server() {
    return new CallLogging(LoggerFactory.getLogger(SERVER_LOGGER));
  }

  @Override
  public void onStart(ClientCall call) {}

  @Override
  public void onClose(ClientCall call) {
    if (log.isInfoEnabled()) {
      log.info("call {} {} {} {} ms to {} {}", numbers(call.procedure()), call.procedure().name(),
          call.status(), millis(call.durationNanos()), call.transport().netid(), hostPort(call.peer()));
    }
  }

  @Override
  public void onStart(ServerCall call) {}

  @Override
  public void onClose(ServerCall call) {
    if (log.isInfoEnabled()) {
      RpcStatus status = call.status();
      log.info("served {} {} {} {} ms from {} {}{}", numbers(call.procedure()), call.procedure().name(),
          status, millis(call.durationNanos()), call.context().transport().netid(),
          hostPort(call.context().remoteAddress()), reason(call.failure()));
    }
  }

  /**
   * Why a call failed, for the end of its line: what an interceptor that refused it, or the
   * procedure, threw. The reply carries only the status, so this line is the one place the
   * reason is seen. Its message may quote the peer (a principal's name): made {@link #printable}.
   */
  private static String reason(Throwable failure) {
    if (failure == null) {
      return "";
    }
    String message = failure.getMessage();
    return ": " + printable(message == null ? failure.getClass().getSimpleName() : message);
  }

  private static String numbers(Procedure<?, ?> p) {
    return Integer.toUnsignedString(p.program()) + "." + Integer.toUnsignedString(p.version()) + "."
        + Integer.toUnsignedString(p.number());
  }

  private static String millis(long nanos) {
    return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
  }

  private static String hostPort(SocketAddress address) {
    return address instanceof InetSocketAddress inet
        ? inet.getHostString() + ":" + inet.getPort() : printable(String.valueOf(address));
  }

  /**
   * A name the peer may have chosen (a Unix-domain client binds its socket to any path, newlines
   * included; a principal's name in a reason), made one short line: cut at {@value #MAX_NAME}
   * characters, then escaped as {@link RateLimitedLog#escaped} escapes a peer's text in the
   * runtime's other lines: every control (C1's NEL and 8-bit CSI too, not only ASCII's), the
   * line and paragraph separators, and lone surrogates.
   */
  static String printable(String name) {
    String cut = name.length() <= MAX_NAME ? name : name.substring(0, MAX_NAME);
    String escaped = RateLimitedLog.escaped(cut);
    return cut == name ? escaped : escaped + "...";
  }

  @Override
  public String toString() {
    return "CallLogging[" + log.getName() + "]";
  }
}
