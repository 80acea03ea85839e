package org.onyxrpc.directory.rpcbind;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.DirectoryTable;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.UniversalAddress;
import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.internal.directory.Announcement;
import org.onyxrpc.internal.directory.Names;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.internal.rpcbind.Rpcb;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.ProgramVersion;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServerStats;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.transport.UnixSocketAddress;

/**
 * A directory served to other processes, over TCP and UDP on one port: portmap version 2 and
 * rpcbind versions 3 and 4 (RFC 1833), which {@code rpcinfo} and C clients speak, and the Onyx
 * {@link Names} protocol beside them. Port 111 by default, where C clients look; serving there
 * needs the privilege to bind it and no other rpcbind running.
 *
 * <pre>{@code
 * DirectoryServer directory = DirectoryServer.builder()
 *     .bind(InetAddress.getLoopbackAddress(), 111)
 *     .directory(Directory.embedded())   // serve this process's directory (the default)
 *     .build()
 *     .start();
 * }</pre>
 *
 * <p>Run one as its own process with {@code onyx directory}, the command line's (cli/README.md).
 * The directory lists itself (program 100000 versions 2 to 4 and the names program), over TCP
 * and UDP and, with one, at its local socket (netid {@code local}), as rpcbind lists its own.
 */
public final class DirectoryServer implements AutoCloseable {
  // Copied from the builder, which may change after build().
  private final InetSocketAddress address;
  private final LocalDirectory directory;
  private final Path localSocket;
  private final RpcServer server;
  private final RemoteCalls remoteCalls;
  /** Who its calls speak for: a call relayed by its own local socket, and no other directory's. */
  private final Callers callers = new Callers();
  private final CallerWriteRates rates;
  private Announcement self;
  private LocalSocketRelay local;

  private DirectoryServer(Builder config) {
    this.address = config.address;
    this.directory = config.directory;
    this.localSocket = config.localSocket;
    DirectoryTable table = directory.table();
    RpcbCounters stats = new RpcbCounters();
    this.remoteCalls = new RemoteCalls(table, config.indirectTimeout);
    // One share per caller across SET (both protocols) and named registration.
    CallerShares shares = new CallerShares(table, config.maxEntriesPerCaller);
    // One pace per caller across SET and UNSET (both protocols), REGISTER and UNREGISTER.
    // Unless set, a burst lets a caller fill its share and empty it again, whatever the share.
    int burst = config.changeBurst > 0 ? config.changeBurst
        : (int) Math.min(Integer.MAX_VALUE, 2L * config.maxEntriesPerCaller);
    this.rates = new CallerWriteRates(table::millis, burst, config.changesPerSecond);
    RpcbindService rpcbind = new RpcbindService(table, stats, remoteCalls, callers, shares, rates);
    this.server = RpcServer.builder()
        .bind(address)
        .directory(Directory.none()) // it lists itself below, on its own terms
        // Its clients ask and go (libtirpc's rpcb_* calls); one that holds a connection gives it up.
        .idleTimeout(IDLE_TIMEOUT)
        .maxRecordBytes(MAX_RECORD_BYTES)
        .addService(new PortmapService(table, stats, remoteCalls, callers, shares, rates).definition())
        .addService(rpcbind.definition(Rpcb.VERSION_3))
        .addService(rpcbind.definition(Rpcb.VERSION_4))
        .addService(new NamesService(table, config.remoteRegistration, callers, shares, rates).definition())
        .build();
  }

  /** How long a connection may stay quiet with no call in flight before it is closed. */
  static final Duration IDLE_TIMEOUT = Duration.ofMinutes(5);

  /**
   * The longest TCP record taken: an indirect call (CALLIT, INDIRECT) of {@link
   * Rpcb#MAX_CALL_BYTES} of arguments, its program, version, procedure and length, behind a call
   * header of two full opaque_auths (9,048 bytes), with room for the headers of more fragments.
   * Every other call is under 1 KiB (a SET of the longest netid, address and owner; a REGISTER
   * of the longest name). The server's default, 16 MiB, let each connection hold that much of a
   * record it never finished, and a few such connections the buffer budget all callers share.
   */
  static final int MAX_RECORD_BYTES = 6 * 4 + 2 * (8 + OpaqueAuth.MAX_BODY) + 4 * 4 + Rpcb.MAX_CALL_BYTES + 1024;

  /** Where libtirpc looks for rpcbind's local socket ({@code /var/run} is {@code /run} on Linux). */
  public static final Path RPCBIND_SOCKET = Path.of("/run/rpcbind.sock");

  /**
   * A builder: port 111 on every address, serving {@link Directory#embedded()}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts listening; returns this.
   *
   * @return this server, serving
   * @throws IOException if a port or the local socket cannot be bound (port 111 needs root)
   */
  public DirectoryServer start() throws IOException {
    server.start();
    if (localSocket != null) {
      try {
        // Where the directory listens: on the wildcard, at loopback. Not loopback whatever the
        // address: bound elsewhere, the directory is not there, and any local user may listen
        // there at its port and take the relayed calls, root's included.
        InetAddress host = address.getAddress();
        InetSocketAddress target = new InetSocketAddress(
            host == null || host.isAnyLocalAddress() ? UniversalAddress.loopback(false) : host, server.port());
        callers.relayingTo(target); // before the relay connects: its first call has its owner
        local = LocalSocketRelay.start(localSocket, target);
      } catch (IOException e) {
        server.close();
        throw e;
      }
    }
    InetSocketAddress bound = new InetSocketAddress(address.getAddress(), server.port());
    Set<Transport> transports = EnumSet.noneOf(Transport.class);
    transports.addAll(server.transports());
    UnixSocketAddress listed = local != null ? listedAt(localSocket) : null;
    if (listed != null) {
      transports.add(Transport.UNIX);
    }
    self = Announcement.start(directory, bound, transports, listed,
        server.programVersions(), java.util.Map.of(Names.PROGRAM, "org.onyxrpc.directory"), DirectoryTable.MAX_LEASE);
    return this;
  }

  /**
   * Where its local socket is listed, as rpcbind lists its own ({@code 100000 4 local
   * /run/rpcbind.sock}): at its absolute path, which a client in any working directory can
   * connect to, its directory's real path (a lexical "..", past a symbolic link, is elsewhere);
   * every version, as the relay answers every one (rpcbind lists 3 and 4 only, as it serves only
   * those there). Null, unlisted, for a path too long for a socket address once absolute.
   */
  private static UnixSocketAddress listedAt(Path socket) {
    Path absolute = socket.toAbsolutePath();
    try {
      absolute = absolute.getParent().toRealPath().resolve(absolute.getFileName());
    } catch (IOException e) {
      // its directory is there (the socket was just bound in it): unresolved, it is still right
    }
    try {
      return UnixSocketAddress.of(absolute);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * The port it listens on (TCP and UDP).
   *
   * @return the bound port, once started
   */
  public int port() {
    return server.port();
  }

  /**
   * The directory it serves.
   *
   * @return the directory given to the builder
   */
  public LocalDirectory directory() {
    return directory;
  }

  /**
   * Counters of the calls it served.
   *
   * @return a snapshot
   */
  public ServerStats stats() {
    return server.stats();
  }

  /**
   * How many SETs, UNSETs, registrations and withdrawals it refused because their caller changed
   * the store faster than it paces one ({@link Builder#changesPerCaller}; the superuser is not
   * paced): each is a store write, over ZooKeeper one of the ensemble every host shares.
   *
   * @return the changes refused since it was built
   */
  public long changesRefused() {
    return rates.refused();
  }

  /**
   * The program versions it serves.
   *
   * @return rpcbind's versions 2 (portmap), 3 and 4, and Onyx's names program
   */
  public List<ProgramVersion> programVersions() {
    return server.programVersions();
  }

  /**
   * Where it listens and which directory it serves, for a log line: {@code
   * DirectoryServer[0.0.0.0:111 [TCP, UDP], local socket /run/rpcbind.sock; serving embedded
   * directory]}; "not started" or "closed" in place of the places when it does not listen.
   *
   * @return the description, of bounded length
   */
  @Override
  public String toString() {
    // Its server's places, from "RpcServer[127.0.0.1:111 [TCP, UDP]; serving program 0x186a0 ...]"
    String server = this.server.toString();
    String places = server.substring("RpcServer[".length(), server.indexOf("; serving "));
    return "DirectoryServer[" + places + (local != null ? ", local socket "
        + RateLimitedLog.shortText(localSocket.toString()) : "") + "; serving "
        + RateLimitedLog.shortText(directory.toString()) + "]";
  }

  /** Stops serving; the entries stay in the directory (they are the store's, not the server's). */
  @Override
  public void close() {
    if (self != null) {
      self.close();
    }
    if (local != null) {
      local.close();
    }
    server.close();
    remoteCalls.close(); // after the calls that forward with it
  }

  /** Configures a {@link DirectoryServer}. */
  public static final class Builder {
    private InetSocketAddress address = new InetSocketAddress(Portmap.PORT);
    private LocalDirectory directory = Directory.embedded();
    private Duration indirectTimeout = Duration.ofSeconds(5);
    private boolean remoteRegistration;
    private Path localSocket;
    private int maxEntriesPerCaller = CallerShares.DEFAULT_MAX_ENTRIES_PER_CALLER;
    private int changeBurst; // 0: twice maxEntriesPerCaller
    private int changesPerSecond = CallerWriteRates.DEFAULT_PER_SECOND;

    private Builder() {}

    /**
     * Listens on {@code port} of every local address; default 111; 0 lets the system choose.
     *
     * @param port 0..65535
     * @return this builder
     * @throws IllegalArgumentException if {@code port} is out of range
     */
    public Builder port(int port) {
      return bind(new InetSocketAddress(port));
    }

    /**
     * Listens on one local address, e.g. the loopback address.
     *
     * @param address a local address, or null for every one
     * @param port 0..65535; 0 lets the system choose
     * @return this builder
     * @throws IllegalArgumentException if {@code port} is out of range
     */
    public Builder bind(InetAddress address, int port) {
      return bind(new InetSocketAddress(address, port));
    }

    /**
     * Listens on one local socket address.
     *
     * @param address a local address and port; not null
     * @return this builder
     */
    public Builder bind(InetSocketAddress address) {
      this.address = Objects.requireNonNull(address, "address");
      return this;
    }

    /**
     * The directory served: default {@link Directory#embedded()}; a {@code new
     * LocalDirectory(store)} serves another store, e.g. ZooKeeper's.
     *
     * @param directory the directory; not null
     * @return this builder
     */
    public Builder directory(LocalDirectory directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /**
     * How long CALLIT, BCAST and INDIRECT wait for the program called; default 5 s.
     *
     * @param timeout more than zero
     * @return this builder
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public Builder indirectTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("indirectTimeout must be positive: " + timeout);
      }
      this.indirectTimeout = timeout;
      return this;
    }

    /**
     * Takes named registrations from other machines too, over TCP (default: only from this one,
     * as rpcbind takes SET). Not over UDP, whose source can be forged. For a directory that
     * servers elsewhere register with directly; the usual way is a directory per machine sharing
     * a ZooKeeper store. Another machine's wildcard address is stored as the address its call
     * came from, a loopback address not at all (it would send this machine's callers to a port
     * of this machine), any other address as given: such registrations are trusted.
     *
     * @param allow true to take named registrations from any address
     * @return this builder
     */
    public Builder allowRemoteRegistration(boolean allow) {
      this.remoteRegistration = allow;
      return this;
    }

    /**
     * Also listens on a Unix socket at {@code path}, as rpcbind does at {@link #RPCBIND_SOCKET}:
     * C programs register there (an rpcgen server can register nowhere else), and their owner is
     * the uid the kernel reports. Linux only; the directory must listen on the IPv4 loopback
     * address or every address. Default: no local socket.
     *
     * @param path the socket file's path, such as {@link #RPCBIND_SOCKET}
     * @return this builder
     */
    public Builder localSocket(Path path) {
      this.localSocket = Objects.requireNonNull(path, "path");
      return this;
    }

    /**
     * How many entries one caller may add, by SET (portmap, rpcbind) and named registration
     * together; default {@value CallerShares#DEFAULT_MAX_ENTRIES_PER_CALLER}, a quarter of the
     * default store. A caller is the uid the kernel reports for a call through the {@link
     * #localSocket local socket}, else, for a call from this machine, the machine, else the
     * address the call came from (an IPv6 host by its /64). The kernel reports no uid for a TCP
     * or UDP peer (peer credentials are a Unix-socket feature), so every local user that calls
     * over TCP or UDP is one caller, whichever of the machine's addresses it calls from (any of
     * 127/8, say), with one share between them: serve the local socket for local users to be
     * told apart. Past its share a caller's
     * SET answers FALSE and its registration is refused, while other callers still find
     * places: without it, one local user that registered without end filled the store and kept
     * every other user out. An entry counts for the caller that made it, its owner; a SET of a
     * mapping already there adds nothing and needs no room; renewing or replacing one's own
     * entry needs no room; the superuser has no share.
     *
     * @param max 1 or more
     * @return this builder
     * @throws IllegalArgumentException if {@code max} is less than 1
     */
    public Builder maxEntriesPerCaller(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxEntriesPerCaller must be 1 or more: " + max);
      }
      this.maxEntriesPerCaller = max;
      return this;
    }

    /**
     * Paces each caller's changes of the store: {@code burst} at once, then {@code perSecond}.
     * A change is a SET or UNSET (portmap and rpcbind) or a named registration or withdrawal that
     * writes the store (a SET of a mapping already there, an UNSET of nothing and a renewal left
     * unwritten are free); a caller is as for {@link #maxEntriesPerCaller}; the superuser is not
     * paced. Past its pace a caller's SET and UNSET answer FALSE, as rpcbind refuses them, and its
     * registration is refused (lease 0), counted in {@link DirectoryServer#changesRefused()}.
     * Default: a burst of twice {@link #maxEntriesPerCaller} (a caller's whole share set and then
     * unset, as a server does at start and stop), then 100 a second. Each change is a store write,
     * over ZooKeeper one of the ensemble every machine shares: raise it for callers that register
     * many entries at once, not for one that toggles an entry without pause.
     *
     * @param burst changes a caller may make at once, 1 or more
     * @param perSecond changes a caller may make per second past its burst, 1 or more
     * @return this builder
     * @throws IllegalArgumentException if either is less than 1
     */
    public Builder changesPerCaller(int burst, int perSecond) {
      if (burst < 1 || perSecond < 1) {
        throw new IllegalArgumentException("changesPerCaller must be 1 or more: " + burst + ", " + perSecond);
      }
      this.changeBurst = burst;
      this.changesPerSecond = perSecond;
      return this;
    }

    /**
     * The server, not yet listening. The settings are copied: changing this builder afterwards
     * changes no server built from it.
     *
     * @return a new server, not yet listening
     */
    public DirectoryServer build() {
      return new DirectoryServer(this);
    }
  }
}
