package org.onyxrpc.directory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.onyxrpc.internal.rpcbind.Rpcb;
import org.onyxrpc.rpc.ProgramVersion;
import org.onyxrpc.transport.Transport;

/**
 * One place where one version of a program listens: what a directory holds and a look-up
 * returns. The rpcbind view of it is {@code (program, version, netid, address, owner)}; Onyx adds
 * the service's name.
 *
 * @param name the service's name, e.g. {@code "com.example.calc.Calculator"}; empty when it was
 *     registered through rpcbind's SET, which has no names
 * @param program the program number
 * @param version the version
 * @param netid rpcbind's transport name: tcp, udp, tcp6 or udp6
 * @param address the universal address (see {@link UniversalAddress})
 * @param owner who registered it: "superuser", a uid in decimal, or "unknown"
 */
public record ServiceInstance(
    String name, int program, int version, String netid, String address, String owner) {
  /** Longest service name: 255 bytes of UTF-8, like a DNS name. */
  public static final int MAX_NAME = 255;

  /**
   * Checks the fields are present and within their bounds.
   *
   * @param name the service's name, at most {@value #MAX_NAME} bytes of UTF-8; may be empty
   * @param program the program number
   * @param version the version
   * @param netid rpcbind's transport name
   * @param address the universal address
   * @param owner who registered it
   * @throws IllegalArgumentException if a field is over its wire bound
   */
  public ServiceInstance {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(netid, "netid");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(owner, "owner");
    if (utf8(name) > MAX_NAME || utf8(netid) > Rpcb.MAX_NETID
        || utf8(address) > UniversalAddress.MAX_LENGTH || utf8(owner) > Rpcb.MAX_OWNER) {
      throw new IllegalArgumentException("directory entry over its bounds: " + name + " " + netid
          + " " + address);
    }
  }

  private static int utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length; // XDR string bounds count bytes
  }

  /**
   * What identifies an entry: two entries with equal keys replace one another.
   *
   * @param program the program number
   * @param version the version
   * @param netid rpcbind's transport name
   * @param address the universal address
   */
  public record Key(int program, int version, String netid, String address) {}

  /**
   * This entry's key.
   *
   * @return program, version, netid and address
   */
  public Key key() {
    return new Key(program, version, netid, address);
  }

  /**
   * The transport, or null for a netid other than tcp, udp, tcp6 and udp6.
   *
   * @return the transport, or null
   */
  public Transport transport() {
    return UniversalAddress.transport(netid);
  }

  /**
   * The socket address its universal address names. A universal address has no IPv6 scope: for
   * an entry a directory answered, {@link Directory#socketAddress(ServiceInstance)} gives a
   * link-local one the scope of the directory's link.
   *
   * @return the address, resolved from its numeric form
   */
  public InetSocketAddress socketAddress() {
    return UniversalAddress.parse(address);
  }

  /**
   * The entry as messages show it: "com.example.calc.Calculator, program 0x20000101 version 1
   * over tcp at 127.0.0.1.18.103, owner 1000". Program and version numbers are unsigned (a
   * record's own text would print program 0x80000000 as -2147483648).
   *
   * @return the text, for messages
   */
  @Override
  public String toString() {
    return (name.isEmpty() ? "" : name + ", ") + ProgramVersion.describe(program, version) + " over "
        + netid + " at " + address + (owner.isEmpty() ? "" : ", owner " + owner);
  }

  /**
   * The same entry with another address.
   *
   * @param newAddress a universal address
   * @return a new entry
   */
  public ServiceInstance withAddress(String newAddress) {
    return new ServiceInstance(name, program, version, netid, newAddress, owner);
  }
}
