package org.onyxrpc.cli.command;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.onyxrpc.transport.Transport;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code tcp}, {@code udp} or {@code unix} (rpcbind's netid {@code local} too), in any case. The
 * runtime's in-process transport is refused: it reaches servers in the caller's own JVM, and
 * {@code onyx} is a process of its own. rpcbind's {@code tcp6} and {@code udp6} are refused with
 * what to give: the family is the HOST's, and taking them for tcp and udp would call an IPv4
 * HOST over IPv4 all the same.
 */
final class TransportConverter implements ITypeConverter<Transport> {
  /** The transports that reach another process. */
  private static final List<Transport> OFFERED = List.of(Transport.TCP, Transport.UDP, Transport.UNIX);

  @Override
  public Transport convert(String value) {
    for (Transport t : OFFERED) {
      if (name(t).equalsIgnoreCase(value) || t.netid().equalsIgnoreCase(value)) {
        return t;
      }
    }
    String plain = value.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    if (plain.equals("inprocess") || plain.equals(Transport.IN_PROCESS.netid())) {
      throw new TypeConversionException("in-process reaches servers in the caller's own JVM only, and onyx"
          + " runs in a process of its own: use one of " + new Names().list());
    }
    if (plain.equals("tcp6") || plain.equals("udp6")) {
      // rpcbind's netids for IPv6, as onyx list and rpcinfo -T show them: the family is the HOST's
      String named = plain.substring(0, 3);
      throw new TypeConversionException("expected one of " + new Names().list() + ", got " + value + ": " + value
          + " is " + named + " to an IPv6 HOST, give --transport " + named + " and the HOST as ::1 or [::1]:PORT");
    }
    throw new TypeConversionException("expected one of " + new Names().list() + ", got " + value);
  }

  private static String name(Transport t) {
    return t.name().toLowerCase(Locale.ROOT);
  }

  /** The transports, for completion and messages. */
  static final class Names implements Iterable<String> {
    List<String> list() {
      return OFFERED.stream().map(TransportConverter::name).toList();
    }

    @Override
    public Iterator<String> iterator() {
      return list().iterator();
    }
  }
}
