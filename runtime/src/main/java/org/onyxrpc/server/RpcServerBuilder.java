package org.onyxrpc.server;

import static org.onyxrpc.internal.Checks.atLeast;
import static org.onyxrpc.internal.Checks.capped;
import static org.onyxrpc.internal.Checks.notNegative;
import static org.onyxrpc.internal.Checks.positive;
import static org.onyxrpc.internal.Checks.within;

import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.internal.transport.PollBeforeWait;
import org.onyxrpc.internal.transport.RecordAssembler;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.transport.UnixSocketAddress;
import org.onyxrpc.xdr.XdrLimits;

/**
 * Configures an {@link RpcServer}. Every limit has a safe default; setters validate at once.
 *
 * <pre>{@code
 * RpcServer server = RpcServer.builder()
 *     .port(0)                              // any free port; read it with server.port()
 *     .transports(Transport.TCP)            // default: TCP and UDP on the same port (TCP alone
 *                                           // with tls(..., TlsMode.REQUIRE))
 *     .directExecutor()                     // run non-blocking procedures on the I/O thread
 *     .maxConcurrentCallsPerConnection(64)
 *     .addService(service)
 *     .build()
 *     .start();
 * }</pre>
 */
public final class RpcServerBuilder {
  /** Default maximum TCP record: 16 MiB. */
  public static final int DEFAULT_MAX_RECORD_BYTES = 16 << 20;
  /** Default maximum datagram: the largest UDP payload over IPv4. */
  public static final int DEFAULT_MAX_DATAGRAM_BYTES = 65_507;
  /** Default least rate at which a record must arrive, beyond its {@code recordTimeout}: 64 KiB/s. */
  public static final long DEFAULT_MIN_RECORD_BYTES_PER_SECOND = 64 << 10;
  /** Default {@link #maxBufferedBytes}: 256 MiB, or a quarter of the direct memory limit if less. */
  public static final long DEFAULT_MAX_BUFFERED_BYTES = 256L << 20;

  InetSocketAddress bindAddress = new InetSocketAddress(0);
  EnumSet<Transport> transports = EnumSet.of(Transport.TCP, Transport.UDP);
  /** Whether {@link #transports} was called: UDP is then the user's choice, not the default's. */
  boolean transportsChosen;
  final List<ServiceDefinition> services = new ArrayList<>();
  ExecutorChoice executorChoice = ExecutorChoice.DEFAULT;
  Executor executor;
  Authenticator authenticator = Authenticator.DEFAULT;
  ServerTls tls;
  Directory directory = Directory.embedded();
  Duration directoryLease = Directory.DEFAULT_LEASE;
  boolean withdrawOnExit;
  UnixSocketAddress unixSocket;
  String inProcessName;
  final Map<Integer, String> serviceNames = new HashMap<>();
  final List<ServerInterceptor> interceptors = new ArrayList<>();
  int ioThreads = 0;
  UdpIo udpIo = UdpIo.EVENT_LOOP;
  TcpIo tcpIo = ServerDefaults.tcpIo(); // a system property's, read as the builder is made
  Duration pollBeforeWaiting = PollBeforeWait.defaultWindow();
  int maxRecordBytes = DEFAULT_MAX_RECORD_BYTES;
  int maxFragmentsPerRecord = RecordAssembler.DEFAULT_MAX_FRAGMENTS;
  int maxDatagramBytes = DEFAULT_MAX_DATAGRAM_BYTES;
  int maxConnections = ServerDefaults.MAX_CONNECTIONS;
  int maxConcurrentCallsPerConnection = ServerDefaults.MAX_CONCURRENT_CALLS_PER_CONNECTION;
  int maxConcurrentCalls = ServerDefaults.defaultThreads();
  Duration recordTimeout = ServerDefaults.RECORD_TIMEOUT;
  long minRecordBytesPerSecond = DEFAULT_MIN_RECORD_BYTES_PER_SECOND;
  Duration idleTimeout = Duration.ZERO; // never
  long maxBufferedBytes = ServerDefaults.maxBufferedBytes();
  int maxDecodeDepth = XdrLimits.DEFAULT_MAX_DEPTH;
  long maxDecodedBytes = XdrLimits.DEFAULT_MAX_DECODED_BYTES;
  long maxDecodedBytesInFlight = ServerDefaults.maxDecodedBytesInFlight();
  Duration shutdownTimeout = ServerDefaults.SHUTDOWN_TIMEOUT;
  DrcBounds drcBounds = DrcBounds.DEFAULT;

  /** What a UDP port on a wildcard address binds beside it; another list only in tests. */
  private Supplier<List<InetAddress>> interfaceAddresses = UdpSockets::interfaceAddresses;

  RpcServerBuilder() {}

  /**
   * Listens on {@code port} on every local address; 0 (the default) lets the system choose. Over
   * UDP, a port on every address (this one, or {@code bind} to {@code 0.0.0.0} or {@code ::}) also
   * gets a socket on each address of the machine's interfaces, so that each reply leaves from the
   * address its call was sent to, which connected UDP clients require.
   *
   * @param port 0..65535
   * @return this builder
   * @throws IllegalArgumentException if {@code port} is out of range
   */
  public RpcServerBuilder port(int port) {
    return bind(new InetSocketAddress(port));
  }

  /**
   * Listens on {@code port} of one local address, e.g. the loopback address.
   *
   * @param address a local address, or null for every one
   * @param port 0..65535; 0 lets the system choose
   * @return this builder
   * @throws IllegalArgumentException if {@code port} is out of range
   */
  public RpcServerBuilder bind(InetAddress address, int port) {
    return bind(new InetSocketAddress(address, port));
  }

  /**
   * Listens on one local socket address.
   *
   * @param address a local address and port; not null
   * @return this builder
   */
  public RpcServerBuilder bind(InetSocketAddress address) {
    this.bindAddress = Objects.requireNonNull(address, "address");
    return this;
  }

  /**
   * The transports to listen on; default TCP and UDP, sharing one port number, or TCP alone on a
   * server that {@linkplain #tls(SslContext, TlsMode) requires TLS}. {@link Transport#UNIX} needs
   * {@link #unixSocket} and {@link Transport#IN_PROCESS} {@link #inProcess}, which choose those
   * transports alone: call this after them to add others. {@link Transport#UDP} cannot be chosen
   * with {@link TlsMode#REQUIRE}: there is no TLS over UDP, and {@link #build} says so.
   *
   * @param first a transport to listen on
   * @param more the others, if any
   * @return this builder
   */
  public RpcServerBuilder transports(Transport first, Transport... more) {
    Objects.requireNonNull(first, "first");
    for (Transport transport : Objects.requireNonNull(more, "more")) {
      Objects.requireNonNull(transport, "transport");
    }
    this.transports = EnumSet.of(first, more);
    this.transportsChosen = true;
    return this;
  }

  /**
   * Listens on a Unix-domain socket, and only there (no IP port) unless {@link #transports} adds
   * TCP or UDP afterwards. Each call's {@link CallContext#peerCredentials()} then holds the
   * caller's pid, uid and gid as the kernel reports them. A socket file left by a server that is
   * gone is replaced; a file that is not a socket, or a socket some process still listens on, is
   * an error. The file is made with the process's umask (put it in a directory whose permissions
   * admit the callers you want) and removed on close. Linux only: {@link #build} says so
   * elsewhere.
   *
   * <pre>{@code
   * RpcServer server = RpcServer.builder()
   *     .unixSocket(UnixSocketAddress.of(Path.of("/run/calc/calc.sock")))  // or parse("@calc")
   *     .addService(CalculatorV1.bind(new MyCalculator()))
   *     .build()
   *     .start();
   * }</pre>
   *
   * @param address the socket to listen on, a file path or an abstract name; not null
   * @return this builder
   */
  public RpcServerBuilder unixSocket(UnixSocketAddress address) {
    this.unixSocket = Objects.requireNonNull(address, "address");
    this.transports = EnumSet.of(Transport.UNIX);
    return this;
  }

  /**
   * {@link #unixSocket(UnixSocketAddress)} at a socket file's path.
   *
   * @param path the socket file's path
   * @return this builder
   */
  public RpcServerBuilder unixSocket(java.nio.file.Path path) {
    return unixSocket(UnixSocketAddress.of(path));
  }

  /**
   * Serves in this JVM only, under {@code name}, with no socket: clients reach it with {@code
   * RpcClient.builder().inProcess(name)}. Calls and replies are still encoded and decoded as on
   * the wire, so tests of a service see its codecs at work. Only there (no IP port) unless
   * {@link #transports} adds TCP or UDP afterwards; two servers cannot share a name.
   *
   * @param name the name clients ask for; not empty
   * @return this builder
   * @throws IllegalArgumentException if {@code name} is empty
   */
  public RpcServerBuilder inProcess(String name) {
    if (Objects.requireNonNull(name, "name").isEmpty()) {
      throw new IllegalArgumentException("empty in-process server name");
    }
    this.inProcessName = name;
    this.transports = EnumSet.of(Transport.IN_PROCESS);
    return this;
  }

  /**
   * Exports a program version; a program may be added in several versions.
   *
   * @param service a program version and its procedures, such as a generated {@code bind(impl)}
   *     returns; not null
   * @return this builder
   */
  public RpcServerBuilder addService(ServiceDefinition service) {
    services.add(Objects.requireNonNull(service, "service"));
    return this;
  }

  /**
   * Runs procedures on {@code executor}, which the caller owns and shuts down. The default is a
   * pool owned by the server, sized for blocking procedures. Either way, calls are taken from
   * the connections in turn (each has its own queue, and UDP one for all its senders), so one
   * client's backlog delays only that client; at most {@link #maxConcurrentCalls} run at once,
   * however many threads {@code executor} has. A virtual-thread executor ({@code
   * Executors.newVirtualThreadPerTaskExecutor()}, JDK 21 and later) lifts none of these limits:
   * raise {@link #maxConcurrentCalls} and {@link #maxConcurrentCallsPerConnection} with it.
   *
   * @param executor where procedures run; not null
   * @return this builder
   */
  public RpcServerBuilder executor(Executor executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
    this.executorChoice = ExecutorChoice.GIVEN;
    return this;
  }

  /**
   * Runs procedures inline on the I/O thread that read the call: the fastest path, for
   * procedures that never block (a blocked I/O thread stalls every connection it serves, and a
   * shutdown leaves it after its timeout and 5 seconds more: {@link RpcServer#shutdown}).
   *
   * @return this builder
   */
  public RpcServerBuilder directExecutor() {
    this.executor = null;
    this.executorChoice = ExecutorChoice.DIRECT;
    return this;
  }

  /**
   * Checks credentials; default accepts AUTH_NONE and AUTH_SYS.
   *
   * @param authenticator decides every call's credentials; not null
   * @return this builder
   */
  public RpcServerBuilder authenticator(Authenticator authenticator) {
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    return this;
  }

  /**
   * RPC-over-TLS (RFC 9289) on TCP, TLS 1.3 only: a client's NULL call with AUTH_TLS is answered
   * with the {@code STARTTLS} verifier and the connection goes on in TLS. With {@link
   * TlsMode#REQUIRE}, plaintext calls are refused with AUTH_ERROR AUTH_TOOWEAK, and the server
   * listens on TCP alone, not on UDP beside it as by default: UDP cannot carry TLS (there is no
   * DTLS), so it would only refuse every call, while its directory entries sent clients there.
   * {@link #transports} naming UDP together with {@link TlsMode#REQUIRE} makes {@link #build}
   * fail; {@link TlsMode#OFFER} serves plaintext UDP beside TLS on TCP. A {@link #unixSocket}
   * or {@link #inProcess} transport beside TCP is served in plaintext in either mode: its calls
   * cross no network, and it cannot carry TLS. Over a Unix-domain socket the kernel names the
   * caller ({@link Peer#peerCredentials()}) and the socket file's permissions say who may
   * connect; an authenticator that requires a client certificate ({@link
   * CertificateAuthenticator}) refuses such calls.
   *
   * @param sslContext a server context with the server's certificate and key
   * @param mode whether plaintext calls are still served
   * @return this builder
   */
  public RpcServerBuilder tls(SslContext sslContext, TlsMode mode) {
    return tls(ServerTls.of(sslContext, mode));
  }

  /**
   * RPC-over-TLS as {@link #tls(SslContext, TlsMode)}, TLS 1.2 allowed if asked.
   *
   * @param tls the context, the mode and the TLS versions; not null
   * @return this builder
   */
  public RpcServerBuilder tls(ServerTls tls) {
    this.tls = Objects.requireNonNull(tls, "tls");
    return this;
  }

  /**
   * I/O threads; 0 (default) lets Netty choose (twice the processors).
   *
   * @param threads 0 or more
   * @return this builder
   * @throws IllegalArgumentException if {@code threads} is negative
   */
  public RpcServerBuilder ioThreads(int threads) {
    this.ioThreads = atLeast(0, threads, "ioThreads");
    return this;
  }

  /**
   * How the plaintext TCP connections are read: on the I/O threads ({@link TcpIo#EVENT_LOOP}, the
   * default) or each by a thread of its own ({@link TcpIo#DEDICATED_THREAD}, the lowest latency
   * for calls that come one at a time, with {@link #directExecutor()}; refused at {@link #build()}
   * with {@link #tls}).
   *
   * @param io how the TCP connections are read; not null
   * @return this builder
   */
  public RpcServerBuilder tcpIo(TcpIo io) {
    this.tcpIo = Objects.requireNonNull(io, "io");
    return this;
  }

  /**
   * How the UDP sockets wait for calls: on the I/O threads ({@link UdpIo#EVENT_LOOP}, the
   * default) or each on a thread of its own ({@link UdpIo#DEDICATED_THREAD}, the lowest latency
   * for calls that come one at a time, with {@link #directExecutor()}).
   *
   * @param io how the UDP sockets wait; not null
   * @return this builder
   */
  public RpcServerBuilder udpIo(UdpIo io) {
    this.udpIo = Objects.requireNonNull(io, "io");
    return this;
  }

  /**
   * How long a UDP socket's own thread ({@link UdpIo#DEDICATED_THREAD}) looks for the next call
   * before it sleeps in the kernel for one, yielding its CPU once (to the client, if the
   * scheduler woke it on this CPU) and then spinning between looks; default 50 µs on a machine
   * with more than one CPU, zero (no look) on one. A call that comes within the window (a client
   * calling back to back sends its next call a few microseconds after it read the reply) is read
   * without a wake-up, which on a virtual machine costs as much as the rest of a small call. A
   * window that passes with no call makes the socket's next waits
   * skip their look (the next 1, then 3, 7, ... up to 1,023), so a quiet socket costs next to no
   * CPU. Zero turns it off; {@link UdpIo#EVENT_LOOP} ignores it. The client's own is {@code
   * RpcClientBuilder.pollBeforeWaiting}.
   *
   * @param window zero to 10 ms
   * @return this builder
   * @throws IllegalArgumentException if {@code window} is negative or longer than 10 ms
   */
  public RpcServerBuilder pollBeforeWaiting(Duration window) {
    this.pollBeforeWaiting = PollBeforeWait.checkedWindow(window);
    return this;
  }

  /**
   * Largest TCP record accepted; a larger one closes its connection. Default 16 MiB.
   *
   * @param bytes at least 64
   * @return this builder
   * @throws IllegalArgumentException if {@code bytes} is under 64
   */
  public RpcServerBuilder maxRecordBytes(int bytes) {
    this.maxRecordBytes = atLeast(64, bytes, "maxRecordBytes");
    return this;
  }

  /**
   * Largest UDP datagram accepted or sent. Default 65,507 bytes.
   *
   * @param bytes 64..65,507
   * @return this builder
   * @throws IllegalArgumentException if {@code bytes} is out of range
   */
  public RpcServerBuilder maxDatagramBytes(int bytes) {
    this.maxDatagramBytes = within(64, DEFAULT_MAX_DATAGRAM_BYTES, bytes, "maxDatagramBytes");
    return this;
  }

  /**
   * Connections held open at once; at the maximum a newcomer takes the place of the idlest
   * connection with no call in flight, or is closed. One client address holds at most three
   * quarters of them. Default 1024.
   *
   * @param connections at least 1
   * @return this builder
   * @throws IllegalArgumentException if {@code connections} is under 1
   */
  public RpcServerBuilder maxConnections(int connections) {
    this.maxConnections = atLeast(1, connections, "maxConnections");
    return this;
  }

  /**
   * Calls of one connection in flight at once (and of all UDP senders together, one sender
   * address at most half of them); beyond it the connection is not read until calls finish (a
   * datagram is dropped). Default 128.
   *
   * @param calls at least 1
   * @return this builder
   * @throws IllegalArgumentException if {@code calls} is under 1
   */
  public RpcServerBuilder maxConcurrentCallsPerConnection(int calls) {
    this.maxConcurrentCallsPerConnection = atLeast(1, calls, "maxConcurrentCallsPerConnection");
    return this;
  }

  /**
   * Procedures running at once, across the server: the threads of the default pool, and on an
   * {@link #executor} of the caller's, the most of its threads the server uses at once (a larger
   * pool does not run more). Default max(16, 4 × processors). One connection's calls run on at
   * most half of them (and on at most {@link #maxConcurrentCallsPerConnection}), and one IP
   * address's (or Unix-domain user's) on at most three quarters;
   * the calls beyond wait in their connection's queue. Raise it for procedures that block (a
   * database call, say): with 200 ms procedures, 16 serve 80 calls a second, and one connection
   * 40. Not used with {@link #directExecutor}.
   *
   * @param calls at least 1
   * @return this builder
   * @throws IllegalArgumentException if {@code calls} is under 1
   */
  public RpcServerBuilder maxConcurrentCalls(int calls) {
    this.maxConcurrentCalls = atLeast(1, calls, "maxConcurrentCalls");
    return this;
  }

  /**
   * Most fragments in one TCP record; more close the connection. Default 65,536. Every fragment
   * header after the first also counts 4 bytes against {@link #maxRecordBytes}.
   *
   * @param fragments at least 1
   * @return this builder
   * @throws IllegalArgumentException if {@code fragments} is under 1
   */
  public RpcServerBuilder maxFragmentsPerRecord(int fragments) {
    this.maxFragmentsPerRecord = atLeast(1, fragments, "maxFragmentsPerRecord");
    return this;
  }

  /**
   * How long a whole record may take to arrive, from its first byte to its last, plus one second
   * for every {@link #minRecordBytesPerSecond} bytes of it; a peer slower than that is
   * disconnected, however often it sends a byte. Default 30 s.
   *
   * @param timeout more than zero
   * @return this builder
   * @throws IllegalArgumentException if {@code timeout} is zero or negative
   */
  public RpcServerBuilder recordTimeout(Duration timeout) {
    this.recordTimeout = positive(timeout, "recordTimeout");
    return this;
  }

  /**
   * The rate that earns a record time beyond {@link #recordTimeout}. Default 64 KiB/s.
   *
   * @param bytesPerSecond at least 1
   * @return this builder
   * @throws IllegalArgumentException if {@code bytesPerSecond} is under 1
   */
  public RpcServerBuilder minRecordBytesPerSecond(long bytesPerSecond) {
    this.minRecordBytesPerSecond = positive(bytesPerSecond, "minRecordBytesPerSecond");
    return this;
  }

  /**
   * How long a connection may stay quiet between records, with no call in flight, before it is
   * closed; {@link Duration#ZERO}, the default, for never, as libtirpc's server does: its TCP
   * client does not reconnect, so a C client idle longer than the timeout would fail its next
   * call. Onyx clients reconnect. Without a timeout, idle connections are still the first to go
   * when {@link #maxConnections} is reached.
   *
   * @param timeout zero for never, or more
   * @return this builder
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  public RpcServerBuilder idleTimeout(Duration timeout) {
    this.idleTimeout = notNegative(timeout, "idleTimeout");
    return this;
  }

  /**
   * Bytes of records being received or waiting for a call slot, across all connections; while
   * they are spent, connections that want more are not read (TCP pushes back on their
   * senders) until calls finish; the connections of one client address hold at most half of it
   * between reads, so that a host that never ends its records leaves room for others' (one of
   * them may read on to the end of its record beyond that half, while the whole has room, so
   * that records may hold up to twice this amount). The same
   * amount again bounds the replies written and not yet
   * taken by their peers. Default 256 MiB, or a quarter of the JVM's direct memory limit if that
   * is less.
   *
   * @param bytes at least 1
   * @return this builder
   * @throws IllegalArgumentException if {@code bytes} is under 1
   */
  public RpcServerBuilder maxBufferedBytes(long bytes) {
    this.maxBufferedBytes = positive(bytes, "maxBufferedBytes");
    return this;
  }

  /**
   * How deeply recursive data in one call may nest (optional data inside optional data). Deeper
   * arguments are {@code GARBAGE_ARGS}, before they can overflow a thread's stack. Default 256;
   * linked lists, read in a loop, do not count.
   *
   * @param depth at least 1
   * @return this builder
   * @throws IllegalArgumentException if {@code depth} is under 1
   */
  public RpcServerBuilder maxDecodeDepth(int depth) {
    this.maxDecodeDepth = atLeast(1, depth, "maxDecodeDepth");
    return this;
  }

  /**
   * Estimated memory the arguments of one call may decode to (see {@link XdrLimits}); more is
   * {@code GARBAGE_ARGS}, found before it is allocated. Default 64 MiB.
   *
   * @param bytes at least 1
   * @return this builder
   * @throws IllegalArgumentException if {@code bytes} is under 1
   */
  public RpcServerBuilder maxDecodedBytes(long bytes) {
    this.maxDecodedBytes = positive(bytes, "maxDecodedBytes");
    return this;
  }

  /**
   * Estimated memory the decoded arguments of all calls in flight may take together (see {@link
   * XdrLimits}). A call whose arguments would not fit in what is left is answered {@code
   * SYSTEM_ERR} without running; the memory is given back as calls finish. Once half of it is
   * held, the calls of one client address have no more than a quarter of it, so that one host's
   * backlog leaves room for other clients' calls. Default: a quarter of the maximum heap.
   *
   * @param bytes at least 1
   * @return this builder
   * @throws IllegalArgumentException if {@code bytes} is under 1
   */
  public RpcServerBuilder maxDecodedBytesInFlight(long bytes) {
    this.maxDecodedBytesInFlight = positive(bytes, "maxDecodedBytesInFlight");
    return this;
  }

  /**
   * How long {@link RpcServer#close} waits for calls in flight. Default 10 s. A connection closed
   * because its peer sent a malformed stream waits as long for the calls it read before it.
   *
   * @param timeout how long to wait; then connections close, and calls still running get no reply
   * @return this builder
   */
  public RpcServerBuilder shutdownTimeout(Duration timeout) {
    this.shutdownTimeout = capped(Objects.requireNonNull(timeout, "shutdownTimeout"));
    return this;
  }

  /**
   * Sizes the duplicate request cache that keeps at-most-once calls from running twice: at most
   * {@code maxEntries} replies and {@code maxBytes} bytes of them, each kept for {@code ttl}.
   * Defaults: 65,536 entries, 64 MiB, 5 minutes. A retransmission arriving after its entry is
   * gone is refused with {@code OUTCOME_UNKNOWN}, never run again: so size {@code ttl} beyond
   * your clients' longest call deadline, and {@code maxEntries} beyond calls per second × ttl.
   *
   * @param maxEntries at least 1
   * @param maxBytes at least 1
   * @param ttl more than zero
   * @return this builder
   * @throws IllegalArgumentException if a bound is out of range
   */
  public RpcServerBuilder duplicateRequestCache(int maxEntries, long maxBytes, Duration ttl) {
    this.drcBounds = new DrcBounds(atLeast(1, maxEntries, "maxEntries"),
        positive(maxBytes, "maxBytes"), positive(ttl, "ttl"));
    return this;
  }

  /**
   * Keeps no duplicate request cache: every call runs as often as it arrives. The server's replies
   * tell Onyx clients so, and they send their at-most-once calls to it once, never retransmitted
   * (they may time out where a retransmission would have been answered). For servers whose
   * procedures are all idempotent.
   *
   * @return this builder
   */
  public RpcServerBuilder noDuplicateRequestCache() {
    this.drcBounds = DrcBounds.NONE;
    return this;
  }

  /**
   * Registers every program version served with {@code directory} when the server starts,
   * renews the leases while it runs and withdraws them when it closes. Default: {@link
   * Directory#embedded()}, this process's directory; {@code RemoteDirectory.at(host)} (package
   * {@code org.onyxrpc.directory.remote}) for a directory or rpcbind elsewhere; {@link
   * Directory#none()} to register nowhere.
   *
   * @param directory where the server registers; not null
   * @return this builder
   */
  public RpcServerBuilder directory(Directory directory) {
    return directory(directory, Directory.DEFAULT_LEASE);
  }

  /**
   * {@link #directory(Directory)} with the lease asked for (default 30 s; renewed every third).
   *
   * @param directory where the server registers; not null
   * @param lease how long an entry lives unless renewed; more than zero
   * @return this builder
   * @throws IllegalArgumentException if {@code lease} is zero or negative
   */
  public RpcServerBuilder directory(Directory directory, Duration lease) {
    this.directory = Objects.requireNonNull(directory, "directory");
    this.directoryLease = positive(lease, "lease");
    return this;
  }

  /**
   * Withdraws the server's directory entries when the JVM exits, on SIGTERM or
   * {@code System.exit} (a shutdown hook), so that clients stop finding it at once instead of
   * when its leases end; {@link RpcServer#close} removes the hook. Off by default. Nothing can
   * withdraw on SIGKILL: the leases end by themselves then.
   *
   * @return this builder
   */
  public RpcServerBuilder withdrawOnExit() {
    this.withdrawOnExit = true;
    return this;
  }

  /**
   * The name a program is registered under in the directory, e.g. the IDL's service name
   * {@code "com.example.calc.Calculator"}; clients find every instance of it by this name.
   *
   * @param program the program number the name is for
   * @param name 1..{@value ServiceInstance#MAX_NAME} bytes of UTF-8
   * @return this builder
   * @throws IllegalArgumentException if {@code name} is empty or too long, or {@code program} was
   *     given another name before (a program is registered under one name)
   */
  public RpcServerBuilder serviceName(int program, String name) {
    Objects.requireNonNull(name, "name");
    ServiceNames.set(serviceNames, program, name);
    return this;
  }

  /**
   * Adds interceptors that see every call handed to a procedure (see {@link
   * ServerInterceptor}); they start in the order added, across calls of this method, and close
   * in the reverse order.
   *
   * @param interceptors added after those already added
   * @return this builder
   */
  public RpcServerBuilder intercept(ServerInterceptor... interceptors) {
    Objects.requireNonNull(interceptors, "interceptors");
    for (ServerInterceptor interceptor : interceptors) {
      this.interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
    }
    return this;
  }

  /**
   * The server, not yet listening; call {@link RpcServer#start}. The settings are copied: changing
   * this builder afterwards changes no server built from it.
   *
   * @return a new server, not yet listening
   * @throws IllegalStateException if no service was added, a {@link #serviceName} names a
   *     program no service serves, {@code Transport.UNIX} or {@code IN_PROCESS} was chosen
   *     without its {@link #unixSocket} or {@link #inProcess}, or {@link #transports} chose
   *     {@code Transport.UDP} for a server that {@linkplain #tls(SslContext, TlsMode) requires
   *     TLS}
   * @throws IllegalArgumentException if {@link #addService} was given the same program version
   *     twice
   */
  public RpcServer build() {
    return new RpcServer(SettledConfig.of(this), interfaceAddresses);
  }

  /**
   * What this builder holds, for a log line at start-up: {@code RpcServerBuilder[bindAddress=...,
   * transports=[TCP, UDP], services=[...], ...]}. A TLS context is named by its kind: its key,
   * its certificates and any password are never printed.
   *
   * @return the settings, one line
   */
  @Override
  public String toString() {
    return SettledConfig.asGiven(this).settings("RpcServerBuilder");
  }

  /**
   * For tests: the addresses taken for this machine's interfaces, which a UDP port on a
   * wildcard address binds beside it, as if they had been assigned ({@code ip addr add}).
   */
  RpcServerBuilder interfaceAddresses(List<InetAddress> addresses) {
    List<InetAddress> copy = List.copyOf(addresses);
    this.interfaceAddresses = () -> copy;
    return this;
  }
}
