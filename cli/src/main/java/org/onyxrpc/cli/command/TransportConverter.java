package org.onyxrpc.cli.command;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import org.onyxrpc.transport.Transport;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code tcp} or {@code udp}, in any case. */
final class TransportConverter implements ITypeConverter<Transport> {
  @Override
  public Transport convert(String value) {
    for (Transport t : Transport.values()) {
      if (t.netid().equalsIgnoreCase(value)) {
        return t;
      }
    }
    throw new TypeConversionException("expected one of " + new Names().list() + ", got " + value);
  }

  /** The transports, for completion and messages. */
  static final class Names implements Iterable<String> {
    java.util.List<String> list() {
      return Arrays.stream(Transport.values()).map(t -> t.name().toLowerCase(Locale.ROOT)).toList();
    }

    @Override
    public Iterator<String> iterator() {
      return list().iterator();
    }
  }
}
