package org.onyxrpc.directory.zookeeper;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.onyxrpc.directory.HostIdentity;
import org.onyxrpc.directory.Registration;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.UniversalAddress;
import org.onyxrpc.internal.directory.Names;
import org.onyxrpc.internal.rpcbind.ServerAddresses;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * One entry as a znode holds it (XDR): the names protocol's instance as registered on its host,
 * a hyper of the lease end in milliseconds since 1970, the host's id, and the universal address
 * other machines use ("" when they cannot reach it, e.g. a loopback bind).
 *
 * @param host the id of the host whose directory wrote it
 * @param registration the entry as registered on that host (a wildcard address stays wildcard)
 * @param advertised the address for other machines, or "" if none can reach it
 */
record StoredEntry(String host, Registration registration, String advertised) {
  /**
   * Most bytes an entry takes: the XDR of the longest name (255), netid (32), address (128) and
   * owner (255), program, version, lease end, host id (128) and advertised address (128).
   */
  static final int MAX_BYTES = (4 + 256) + 4 + 4 + (4 + 32) + (4 + 128) + (4 + 256) + 8 + (4 + 128) + (4 + 128);
  /** URLEncoder's digits for a byte it escapes. */
  private static final String HEX = "0123456789ABCDEF";

  /** The entry of {@code registration} on {@code host}. */
  static StoredEntry of(HostIdentity host, Registration registration) {
    return new StoredEntry(host.id(), registration, host.advertise(registration.instance().address()));
  }

  /**
   * The znode's path under the base path: a znode per host, and under it one per entry named by
   * program, version, netid and address, so that no two hosts share one and each host's list of
   * children stays within what ZooKeeper sends in one reply (see {@link HostsReader}).
   */
  static String nodeName(String host, ServiceInstance.Key key) {
    return hostNode(host) + "/" + keyNode(key);
  }

  /** The name of the znode that holds every entry of {@code host}. */
  static String hostNode(String host) {
    return encode(host);
  }

  /** The name of an entry's znode under its host's. */
  static String keyNode(ServiceInstance.Key key) {
    return Integer.toHexString(key.program()) + "~" + Integer.toUnsignedString(key.version())
        + "~" + encode(key.netid()) + "~" + encode(key.address());
  }

  /** The entry as another machine serves it, or null if that machine cannot reach it. */
  Registration seenFromElsewhere() {
    if (advertised.isEmpty()) {
      return null;
    }
    return new Registration(registration.instance().withAddress(advertised), registration.expiresAtMillis());
  }

  byte[] encode() {
    ByteBuf buf = Unpooled.buffer();
    XdrWriter out = new XdrWriter(buf);
    Names.INSTANCE.encode(out, registration.instance());
    out.writeHyper(registration.expiresAtMillis());
    out.writeString(host, HostIdentity.MAX_ID);
    out.writeString(advertised, UniversalAddress.MAX_LENGTH);
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    return bytes;
  }

  /**
   * The entry the znode at {@code name} (host/key, under the base path) holds.
   *
   * @throws IllegalArgumentException if it is not one an Onyx directory wrote: no data, not the
   *     XDR of an entry or more than one, named for another host or key than it holds, or with an
   *     address for other machines that is no IP address they can call
   */
  static StoredEntry decode(String name, byte[] data) {
    if (data == null) {
      throw new IllegalArgumentException("no data");
    }
    StoredEntry entry;
    try {
      XdrReader in = new XdrReader(Unpooled.wrappedBuffer(data));
      ServiceInstance instance = Names.INSTANCE.decode(in);
      Registration registration = new Registration(instance, in.readHyper());
      String host = in.readString(HostIdentity.MAX_ID);
      String advertised = in.readString(UniversalAddress.MAX_LENGTH);
      if (in.remaining() != 0) {
        throw new IllegalArgumentException(in.remaining() + " bytes after the entry");
      }
      entry = new StoredEntry(host, registration, advertised);
    } catch (RuntimeException e) {
      // Bytes anyone with access to the ensemble may have written: whatever the decoder says.
      throw new IllegalArgumentException("not an entry: " + e.getMessage(), e);
    }
    if (!name.equals(nodeName(entry.host, entry.registration.instance().key()))) {
      throw new IllegalArgumentException("holds the entry of " + nodeName(entry.host, entry.registration.instance().key()));
    }
    if (!entry.advertised.isEmpty()
        && (UniversalAddress.transport(entry.registration.instance().netid()) == null
            || !forOtherMachines(UniversalAddress.parse(entry.advertised).getAddress()))) {
      throw new IllegalArgumentException("no address for other machines: " + entry.advertised);
    }
    return entry;
  }

  /**
   * Whether another machine may call a server at {@code ip}, as {@link HostIdentity#advertise}
   * writes one: not the wildcard, not its host's loopback or link-local address (advertised as
   * ""), not a group or the broadcast (no server's). Served from another's znode, a loopback
   * address sent this machine's callers to a port of this machine, whatever listens there.
   */
  private static boolean forOtherMachines(InetAddress ip) {
    InetAddress plain = UniversalAddress.unmapped(ip);
    return !plain.isAnyLocalAddress() && !plain.isLoopbackAddress() && !plain.isLinkLocalAddress()
        && !ServerAddresses.isGroupOrBroadcast(plain);
  }

  /**
   * {@code text} as part of a znode's name: URL-encoded, and each lone surrogate U+DC80..U+DCFF
   * as the byte it stands for ({@code %XX}): a string's byte that is not UTF-8 reads as one (see
   * {@code XdrReader.readString}), which URLEncoder would write as {@code %3F}, so that a netid
   * "\xff" a C client registered and "?" would name one znode.
   */
  private static String encode(String text) {
    StringBuilder out = null;
    int from = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 0xDC80 && c <= 0xDCFF && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)))) {
        if (out == null) {
          out = new StringBuilder(text.length() + 16);
        }
        out.append(URLEncoder.encode(text.substring(from, i), StandardCharsets.UTF_8))
            .append('%').append(HEX.charAt(c >> 4 & 0xF)).append(HEX.charAt(c & 0xF));
        from = i + 1;
      }
    }
    String rest = URLEncoder.encode(text.substring(from), StandardCharsets.UTF_8);
    return out == null ? rest : out.append(rest).toString();
  }
}
