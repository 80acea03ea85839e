package org.onyxrpc.client;

import static org.onyxrpc.internal.Checks.positive;

import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.rpc.Credentials;
import org.onyxrpc.rpc.ProgramVersion;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.internal.transport.NettyTransports;
import org.onyxrpc.internal.transport.PollBeforeWait;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.transport.UnixSocketAddress;

/**
 * Configures an {@link RpcClient}. Setters validate at once; only the address is required.
 *
 * <pre>{@code
 * RpcClient client = RpcClient.builder()
 *     .address("localhost", 4711)
 *     .transport(Transport.TCP)              // the default
 *     .timeout(Duration.ofSeconds(5))        // each call's deadline; default 25 s
 *     .attemptTimeout(Duration.ofMillis(500)) // before a retransmission; default 1 s
 *     .credentials(new AuthSys(0, "host", 1000, 100, new int[0]))
 *     .build();
 * }</pre>
 */
public final class RpcClientBuilder {
  private SocketAddress address;
  private Transport transport = Transport.TCP;
  private Duration timeout = Duration.ofSeconds(25);
  private Duration attemptTimeout = Duration.ofSeconds(1);
  private Duration connectTimeout = Duration.ofSeconds(10);
  private Credentials credentials = Credentials.NONE;
  private int maxRecordBytes = 16 << 20;
  private int maxDatagramBytes = 65_507;
  private int maxPendingCalls = 65_536;
  private long maxQueuedBytes = 64L << 20;
  private IoStrategy ioStrategy = IoStrategy.valueOf(
      System.getProperty("org.onyxrpc.client.ioStrategy", IoStrategy.EVENT_LOOP.name()));
  private Duration pollBeforeWaiting = PollBeforeWait.defaultWindow();
  private EventLoopGroup eventLoopGroup;
  private CallTimer timer;
  private boolean ioStrategyChosen;
  private ClientTls tls;
  private final List<ClientInterceptor> interceptors = new ArrayList<>();
  private Directory directory;
  private int directoryProgram;
  private int directoryVersion;

  RpcClientBuilder() {}

  /**
   * The server's host and port.
   *
   * @param host a literal address, or a name, looked up now; a name that does not resolve is not
   *     refused here: it is looked up again as the client connects, and its calls fail
   *     {@code UNAVAILABLE} ("unknown host") while it still does not
   * @param port 0..65535 (nothing listens at 0: a call there fails {@code UNAVAILABLE})
   * @return this builder
   * @throws IllegalArgumentException if {@code port} is out of range
   */
  public RpcClientBuilder address(String host, int port) {
    Objects.requireNonNull(host, "host"); // not the JDK's IllegalArgumentException "hostname can't be null"
    return address(new InetSocketAddress(host, port));
  }

  /**
   * The server's socket address.
   *
   * @param address the server's address, for the TCP or UDP transport; not null
   * @return this builder
   */
  public RpcClientBuilder address(InetSocketAddress address) {
    this.address = Objects.requireNonNull(address, "address");
    return this;
  }

  /**
   * Calls a server on a Unix-domain socket of this machine, and sets the transport to {@link
   * Transport#UNIX}. The server learns this process's pid, uid and gid from the kernel. Linux
   * only; the I/O always runs on the event loop, whatever {@link #ioStrategy} says.
   *
   * <pre>{@code
   * RpcClient client = RpcClient.builder()
   *     .unixSocket(UnixSocketAddress.of(Path.of("/run/calc/calc.sock")))  // or parse("@calc")
   *     .build();
   * }</pre>
   *
   * @param address the server's socket, a file path or an abstract name
   * @return this builder
   */
  public RpcClientBuilder unixSocket(UnixSocketAddress address) {
    this.address = Objects.requireNonNull(address, "address");
    this.transport = Transport.UNIX;
    return this;
  }

  /**
   * {@link #unixSocket(UnixSocketAddress)} at a socket file's path.
   *
   * @param path the socket file's path
   * @return this builder
   */
  public RpcClientBuilder unixSocket(java.nio.file.Path path) {
    return unixSocket(UnixSocketAddress.of(path));
  }

  /**
   * Calls the server of this JVM started with {@code RpcServer.builder().inProcess(name)}, and
   * sets the transport to {@link Transport#IN_PROCESS}: no socket, but every call and reply
   * encoded and decoded as on the wire, with the same errors and semantics. If no such server
   * runs, calls fail with {@code UNAVAILABLE} (nothing was sent). The I/O always runs on the
   * event loop, whatever {@link #ioStrategy} says.
   *
   * @param name the name the server was built with; not empty
   * @return this builder
   * @throws IllegalArgumentException if {@code name} is empty
   */
  public RpcClientBuilder inProcess(String name) {
    if (Objects.requireNonNull(name, "name").isEmpty()) {
      throw new IllegalArgumentException("empty in-process server name");
    }
    this.address = NettyTransports.inProcessAddress(name);
    this.transport = Transport.IN_PROCESS;
    return this;
  }

  /**
   * Finds the server in a directory instead of at a fixed address, as {@code clnt_create} asks
   * the portmapper: {@link #build} looks up an instance of {@code program} {@code version} over
   * this builder's transport (an address set with {@link #address} wins). When a connection to
   * the address found cannot be made later (refused, unreachable, timed out; over UDP, nothing
   * listened at it), the client looks it up again, off its event loop, at most one look-up at a
   * time and none sooner than the reconnect backoff after the last, and connects to the new
   * address, if any, from then on: a server restarted on another port is found again. Over TCP
   * and Unix sockets the call that met the refusal waits for that, within its deadline; over UDP
   * the call that met nothing listening fails as before and the next one goes to the new address. A directory that cannot be asked
   * then leaves the address as it was; the call fails {@code UNAVAILABLE} as before, its message
   * saying what the directory said. To spread calls over every instance, with failover, use a
   * {@code DirectoryClient} (package {@code org.onyxrpc.directory.remote}).
   *
   * @param directory where {@link #build} looks the server up; not null
   * @param program the program number of the service to find
   * @param version its version number
   * @return this builder
   */
  public RpcClientBuilder directory(Directory directory, int program, int version) {
    this.directory = Objects.requireNonNull(directory, "directory");
    this.directoryProgram = program;
    this.directoryVersion = version;
    return this;
  }

  /**
   * TCP (default) or UDP, for an {@link #address}; {@link #unixSocket} and {@link #inProcess}
   * set their own transport.
   *
   * @param transport {@link Transport#TCP} or {@link Transport#UDP}; not null
   * @return this builder
   */
  public RpcClientBuilder transport(Transport transport) {
    this.transport = Objects.requireNonNull(transport, "transport");
    return this;
  }

  /**
   * Every call's default deadline: the whole time it may take, across all its transmissions.
   * Default 25 s, as rpcgen's clients.
   *
   * @param timeout more than zero; a call's {@code CallOptions} may set its own
   * @return this builder
   * @throws IllegalArgumentException if {@code timeout} is zero or negative
   */
  public RpcClientBuilder timeout(Duration timeout) {
    this.timeout = positive(timeout, "timeout");
    return this;
  }

  /**
   * How long one transmission of a retransmitting call waits for its reply before the next is
   * sent (each later wait doubles, up to 16 times this, with ±20% jitter). Default 1 s.
   *
   * @param timeout the first wait, more than zero
   * @return this builder
   * @throws IllegalArgumentException if {@code timeout} is zero or negative
   */
  public RpcClientBuilder attemptTimeout(Duration timeout) {
    this.attemptTimeout = positive(timeout, "attemptTimeout");
    return this;
  }

  /**
   * How long making a connection may take, with TLS its AUTH_TLS probe and handshake too;
   * default 10 s.
   *
   * @param timeout more than zero
   * @return this builder
   * @throws IllegalArgumentException if {@code timeout} is zero or negative
   */
  public RpcClientBuilder connectTimeout(Duration timeout) {
    this.connectTimeout = positive(timeout, "connectTimeout");
    return this;
  }

  /**
   * The credentials sent with every call; default AUTH_NONE.
   *
   * @param credentials such as {@code AuthSys}; not null
   * @return this builder
   */
  public RpcClientBuilder credentials(Credentials credentials) {
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    return this;
  }

  /**
   * Largest record sent or accepted over TCP; a larger reply closes the connection, and the call
   * it answers (named by the xid sent with its record mark) fails with {@code INTERNAL}: it ran.
   * Default 16 MiB.
   *
   * @param bytes at least 64
   * @return this builder
   * @throws IllegalArgumentException if {@code bytes} is under 64
   */
  public RpcClientBuilder maxRecordBytes(int bytes) {
    if (bytes < 64) {
      throw new IllegalArgumentException("maxRecordBytes must be at least 64: " + bytes);
    }
    this.maxRecordBytes = bytes;
    return this;
  }

  /**
   * Largest UDP datagram sent or received; a larger call fails with RESOURCE_EXHAUSTED. Default 65,507.
   *
   * @param bytes 64..65,507 (the most an IPv4 UDP datagram carries)
   * @return this builder
   * @throws IllegalArgumentException if {@code bytes} is out of range
   */
  public RpcClientBuilder maxDatagramBytes(int bytes) {
    if (bytes < 64 || bytes > 65_507) {
      throw new IllegalArgumentException("maxDatagramBytes must be 64..65507: " + bytes);
    }
    this.maxDatagramBytes = bytes;
    return this;
  }

  /**
   * Calls awaiting replies at once; more fail with RESOURCE_EXHAUSTED. Default 65,536.
   *
   * @param calls at least 1
   * @return this builder
   * @throws IllegalArgumentException if {@code calls} is under 1
   */
  public RpcClientBuilder maxPendingCalls(int calls) {
    if (calls < 1) {
      throw new IllegalArgumentException("maxPendingCalls must be at least 1: " + calls);
    }
    this.maxPendingCalls = calls;
    return this;
  }

  /**
   * Bytes of calls waiting to be written to one connection (a server that reads slowly, or not
   * at all) before a new call fails with RESOURCE_EXHAUSTED instead of queueing; a call to a
   * connection with nothing queued is always taken. Default 64 MiB.
   *
   * @param bytes at least 1
   * @return this builder
   * @throws IllegalArgumentException if {@code bytes} is under 1
   */
  public RpcClientBuilder maxQueuedBytes(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("maxQueuedBytes must be positive: " + bytes);
    }
    this.maxQueuedBytes = bytes;
    return this;
  }

  /**
   * How long a sync caller looks for its reply before it sleeps, yielding its CPU once (to the
   * server or event loop, if the scheduler woke it on this CPU) and then spinning between looks;
   * default 50 µs on a machine with more than one CPU, zero (no look) on one. A {@link
   * IoStrategy#CALLER_RUNS} caller that reads its connection looks for the reply's bytes before
   * it sleeps in the kernel; an {@link IoStrategy#EVENT_LOOP} caller looks for its call's
   * completion by the event loop before it parks. A reply within the window saves the caller a
   * wake-up, which on a virtual machine with idle CPUs costs as much as the rest of a small call.
   * A window that passes with no reply makes that
   * caller's next waits on the connection skip their look (the next 1, then 3, 7, ... up to 1,023
   * waits), so a slow server costs next to no CPU. Zero turns it off.
   *
   * @param window zero to 10 ms
   * @return this builder
   * @throws IllegalArgumentException if {@code window} is negative or longer than 10 ms
   */
  public RpcClientBuilder pollBeforeWaiting(Duration window) {
    this.pollBeforeWaiting = PollBeforeWait.checkedWindow(window);
    return this;
  }

  /**
   * Which threads do the socket I/O over TCP and UDP: a Netty event loop (default), or the
   * calling threads themselves, which saves a sync call two thread hand-offs (see {@link
   * IoStrategy}). Unix-domain and in-process clients always use the event loop.
   * The system property {@code org.onyxrpc.client.ioStrategy} changes the default.
   *
   * @param strategy the strategy of TCP and UDP clients
   * @return this builder
   */
  public RpcClientBuilder ioStrategy(IoStrategy strategy) {
    this.ioStrategy = Objects.requireNonNull(strategy, "strategy");
    this.ioStrategyChosen = true;
    return this;
  }

  /**
   * The Netty event loops to run on; the caller owns them. By default clients share one group
   * of daemon threads, made when the first such client is built and stopped when the last is
   * closed. An in-process client needs loops of Netty's {@code LocalIoHandler}, a Unix-domain
   * one epoll loops.
   *
   * @param group loops the caller shuts down after closing the client
   * @return this builder
   */
  public RpcClientBuilder eventLoopGroup(EventLoopGroup group) {
    this.eventLoopGroup = Objects.requireNonNull(group, "group");
    return this;
  }

  /**
   * RPC-over-TLS (RFC 9289): every connection starts with the AUTH_TLS probe and a TLS handshake,
   * and no call is ever sent in plaintext. TCP with the {@link IoStrategy#EVENT_LOOP} strategy
   * only: {@link #build} refuses UDP and {@link IoStrategy#CALLER_RUNS}, and a TLS client ignores
   * the system property that would make the latter its default. {@link #build} lowers the
   * context's session cache to 32 sessions, unless it is smaller: the server fills it, one
   * session per TLS 1.3 ticket it sends, and the cache is the context's, so the bound holds for
   * whatever else uses the context.
   *
   * @param tls the client's TLS context and how to check the server's certificate; not null
   * @return this builder
   */
  public RpcClientBuilder tls(ClientTls tls) {
    this.tls = Objects.requireNonNull(tls, "tls");
    return this;
  }

  /**
   * Adds interceptors that see every call (see {@link ClientInterceptor}); they start in the
   * order added, across calls of this method, and close in the reverse order.
   *
   * @param interceptors added after those already added
   * @return this builder
   */
  public RpcClientBuilder intercept(ClientInterceptor... interceptors) {
    Objects.requireNonNull(interceptors, "interceptors");
    for (ClientInterceptor interceptor : interceptors) {
      this.interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
    }
    return this;
  }

  /** The clock and timers calls keep time by; tests give a manual one. Default: the real one. */
  RpcClientBuilder timer(CallTimer timer) {
    this.timer = Objects.requireNonNull(timer, "timer");
    return this;
  }

  /**
   * The client; it connects on the first call.
   *
   * @return a new client, which the caller closes
   * @throws IllegalStateException if no address or directory was given, or the address, the
   *     transport and TLS do not go together
   * @throws RpcException if the directory has no instance of the program version
   */

  public RpcClient build() {
    SocketAddress target = address;
    Supplier<SocketAddress> lookUp = null;
    if (target == null && directory != null) {
      Directory d = directory;
      int program = directoryProgram;
      int version = directoryVersion;
      Transport t = transport;
      lookUp = t == Transport.UNIX ? () -> localSocket(d, program, version)
          : () -> d.address(program, version, t);
      target = lookUp.get();
    }
    if (target == null) {
      // "address is required" did not say the other three ways to name the server
      throw new IllegalStateException("no server to call: give address(host, port), unixSocket(path),"
          + " inProcess(name) or directory(directory, program, version)");
    }
    checkAddress(target);
    IoStrategy io = ioStrategy;
    if (tls != null) {
      if (transport != Transport.TCP) {
        throw new IllegalStateException("TLS needs TCP: RPC-over-TLS has no DTLS for " + transport);
      }
      if (io == IoStrategy.CALLER_RUNS && ioStrategyChosen) {
        throw new IllegalStateException("TLS needs IoStrategy.EVENT_LOOP: CALLER_RUNS has no TLS");
      }
      io = IoStrategy.EVENT_LOOP;
      TlsSessionCacheBound.apply(tls.sslContext()); // the server's tickets fill it
    }
    return new RpcClient(new ClientConfig(target, transport, timeout, attemptTimeout,
        connectTimeout, credentials, maxRecordBytes, maxDatagramBytes, maxPendingCalls, maxQueuedBytes,
        io, pollBeforeWaiting,
        eventLoopGroup, timer, tls, interceptors), lookUp, lookUp == null ? null : directory.toString());
  }

  /**
   * What this builder holds, for a log line at start-up: {@code RpcClientBuilder[address=...,
   * transport=TCP, timeout=PT25S, ...]}. A TLS context is named by its kind: its key, its
   * certificates and any password are never printed.
   *
   * @return the settings, one line
   */
  @Override
  public String toString() {
    return new org.onyxrpc.internal.SettingsText("RpcClientBuilder")
        .add("address", org.onyxrpc.internal.SettingsText.address(address))
        .addIfSet("directory", directory == null ? null
            : directory + " program 0x" + Integer.toHexString(directoryProgram) + " version " + directoryVersion)
        .add("transport", transport).add("timeout", timeout).add("attemptTimeout", attemptTimeout)
        .add("connectTimeout", connectTimeout).add("credentials", credentials)
        .add("maxRecordBytes", maxRecordBytes).add("maxDatagramBytes", maxDatagramBytes)
        .add("maxPendingCalls", maxPendingCalls).add("maxQueuedBytes", maxQueuedBytes)
        .add("ioStrategy", ioStrategy).add("pollBeforeWaiting", pollBeforeWaiting)
        .add("eventLoopGroup", eventLoopGroup == null ? "shared" : eventLoopGroup)
        .addIfSet("tls", tls).addIfAny("interceptors", interceptors).toString();
  }

  /** The address's kind must be the transport's: set together by unixSocket and inProcess. */
  private void checkAddress(SocketAddress target) {
    boolean fits = switch (transport) {
      case TCP, UDP -> target instanceof InetSocketAddress;
      case UNIX -> target instanceof UnixSocketAddress;
      case IN_PROCESS -> target instanceof io.netty.channel.local.LocalAddress;
    };
    if (!fits) {
      throw new IllegalStateException("transport " + transport + " cannot reach " + target
          + ": use address(...) for TCP and UDP, unixSocket(...) or inProcess(...) for the others");
    }
    if (transport == Transport.UNIX) {
      NettyTransports.requireUnixSockets();
    }
  }

  /** The Unix-domain socket a directory has for a program version (rpcbind's netid "local"). */
  private static UnixSocketAddress localSocket(Directory directory, int program, int version) {
    for (ServiceInstance i : directory.lookup(program, version)) {
      if (i.netid().equals(Transport.UNIX.netid())) {
        return UnixSocketAddress.parse(i.address());
      }
    }
    throw new RpcException(RpcStatus.UNAVAILABLE, ProgramVersion.describe(program, version)
        + " is not registered over " + Transport.UNIX + " in " + directory);
  }
}
