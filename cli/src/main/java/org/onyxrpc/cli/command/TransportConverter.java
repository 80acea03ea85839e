package org.onyxrpc.cli.command;

import java.util.Iterator;
import java.util.Locale;
import org.onyxrpc.transport.Transport;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code tcp} or {@code udp}, in any case. */
final class TransportConverter implements ITypeConverter<Transport> {
  /** The transports a host and port reach. */
  private static final java.util.List<Transport> NETWORK = java.util.List.of(Transport.TCP, Transport.UDP);

  @Override
  public Transport convert(String value) {
    for (Transport t : NETWORK) {
      if (t.netid().equalsIgnoreCase(value)) {
        return t;
      }
    }
    throw new TypeConversionException("expected one of " + new Names().list() + ", got " + value);
  }

  /** The transports, for completion and messages. */
  static final class Names implements Iterable<String> {
    java.util.List<String> list() {
      return NETWORK.stream().map(t -> t.name().toLowerCase(Locale.ROOT)).toList();
    }

    @Override
    public Iterator<String> iterator() {
      return list().iterator();
    }
  }
}
