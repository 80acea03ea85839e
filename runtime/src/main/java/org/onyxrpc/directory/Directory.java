package org.onyxrpc.directory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.onyxrpc.rpc.ProgramVersion;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.transport.Transport;

/**
 * Where servers say where they listen and clients find them: by name (every live instance) or
 * by program and version, as the portmapper does.
 *
 * <pre>{@code
 * Directory here = Directory.embedded();                    // this process (the default)
 * Directory host = RemoteDirectory.at("db7.example.com");    // an Onyx directory or rpcbind on port 111
 * List<ServiceInstance> calculators = host.lookup("com.example.calc.Calculator");
 * }</pre>
 *
 * <p>This package holds the directory itself: this interface, {@link LocalDirectory} over a
 * {@link DirectoryStore}, and the rpcbind and names wire types. A directory in another process
 * is a {@code RemoteDirectory} (package {@code org.onyxrpc.directory.remote}, beside the
 * {@code DirectoryClient} that spreads calls over a service's instances); the server that
 * serves a directory to other processes, {@code DirectoryServer}, is in package {@code
 * org.onyxrpc.directory.rpcbind}.
 *
 * <p>Servers take one with {@code RpcServer.builder().directory(...)} and register every
 * program version they serve, renewing the lease while they run; clients take one with
 * {@code RpcClient.builder().directory(...)} or {@code DirectoryClient.builder()}.
 * Implementations are thread-safe.
 */
public interface Directory {
  /** The lease a server asks for unless told otherwise: 30 s, renewed every 10 s. */
  Duration DEFAULT_LEASE = Duration.ofSeconds(30);

  /**
   * Registers (or renews) one instance for about {@code lease}; the owner field is ignored, the
   * directory decides it. Returns the lease granted.
   *
   * @param instance the program version, netid, address and name served
   * @param lease how long the entry should live unless renewed
   * @return the lease granted, which may be shorter
   * @throws org.onyxrpc.rpc.RpcException if the directory cannot be reached or refuses
   */
  Duration register(ServiceInstance instance, Duration lease);

  /**
   * Removes an instance this process registered; returns true if it was there.
   *
   * @param instance as registered
   * @return true if it was registered
   */
  boolean unregister(ServiceInstance instance);

  /**
   * Every live instance registered under {@code name}; empty when there is none.
   *
   * @param name a service name, such as {@code "com.example.calc.Calculator"}
   * @return the instances, in no promised order
   * @throws RpcException SYSTEM_ERR if the directory cannot tell: it found none, and the store it
   *     shares with other machines is unreachable (see {@link StoreState}); UNAVAILABLE or
   *     TIMEOUT if a remote directory does not answer
   */
  List<ServiceInstance> lookup(String name);

  /**
   * Every live instance of a program version, over every netid.
   *
   * @param program the program number
   * @param version the version number
   * @return the instances, in no promised order
   * @throws RpcException as {@link #lookup(String)}
   */
  List<ServiceInstance> lookup(int program, int version);

  /**
   * The versions of a program that have an entry over {@code transport}, in no promised order:
   * what a look-up of a version that has none can say exists instead, as a server's PROG_MISMATCH
   * names its versions. The default, for a directory that cannot list a program's versions, is
   * an empty list.
   *
   * @param program the program number
   * @param transport {@link Transport#TCP} or {@link Transport#UDP}
   * @return the versions, repeats allowed; empty when there are none or this directory cannot tell
   * @throws RpcException as {@link #lookup(String)}
   */
  default List<Integer> versions(int program, Transport transport) {
    return List.of();
  }

  /**
   * Where this process calls an entry this directory answered: its universal address as a socket
   * address, resolved without a look-up. A directory reached at a link-local (or site-local) IPv6
   * address gives a link-local (site-local) entry its own scope: a universal address carries none,
   * and the entry is on the directory's link (as libtirpc's clients take it). Use it rather than
   * {@link ServiceInstance#socketAddress()} for an entry a look-up returned.
   *
   * @param entry an entry of this directory's answer
   * @return the socket address to call
   * @throws IllegalArgumentException if the entry's address is not a universal address
   */
  default InetSocketAddress socketAddress(ServiceInstance entry) {
    return entry.socketAddress();
  }

  /**
   * The address of one live instance of a program version over {@code transport}, IPv4 first:
   * what {@code clnt_create} asks the portmapper for.
   *
   * @param program the program number
   * @param version the version number
   * @param transport {@link Transport#TCP} or {@link Transport#UDP}
   * @return the instance's address
   * @throws RpcException UNAVAILABLE if there is none (the failure names the program's other
   *     versions, {@link #versions}), or none at an address a client can call (one that does not
   *     parse, port 0): the failure quotes it
   */
  default InetSocketAddress address(int program, int version, Transport transport) {
    InetSocketAddress best = null;
    boolean bestV6 = false;
    ServiceInstance unusable = null;
    for (ServiceInstance i : lookup(program, version)) {
      if (i.transport() != transport || best != null && !(bestV6 && !i.netid().endsWith("6"))) {
        continue;
      }
      // An entry that names no port a server can listen on is skipped, not called or thrown as
      // IllegalArgumentException: a directory's answer is input, and may be nonsense.
      InetSocketAddress at = DirectoryAnswers.callable(this, i);
      if (at == null) {
        unusable = unusable == null ? i : unusable;
        continue;
      }
      best = at;
      bestV6 = i.netid().endsWith("6");
    }
    if (best == null) {
      throw new RpcException(RpcStatus.UNAVAILABLE, ProgramVersion.describe(program, version)
          + " is not registered over " + transport + " in " + this
          + (unusable == null ? DirectoryAnswers.otherVersions(this, program, version, transport)
              : DirectoryAnswers.notAnAddress(unusable)));
    }
    return best;
  }

  /**
   * The directory of this process: created by the first server that needs it and shared by
   * every server and client in the process. In memory; serve it to other processes with
   * {@code DirectoryServer.builder().directory(Directory.embedded())} (package {@code rpcbind}).
   *
   * @return the process's directory, made on first use
   */
  static LocalDirectory embedded() {
    return LocalDirectory.EMBEDDED;
  }

  /**
   * No directory: a server given this registers nowhere.
   *
   * @return the directory that keeps nothing
   */
  static Directory none() {
    return NoDirectory.INSTANCE;
  }
}
