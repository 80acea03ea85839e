package org.onyxrpc.cli.command;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import org.onyxrpc.rpc.CallSemantics;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code maybe}, {@code at_least_once} or {@code at_most_once} (dashes allowed, any case). */
final class SemanticsConverter implements ITypeConverter<CallSemantics> {
  @Override
  public CallSemantics convert(String value) {
    try {
      return CallSemantics.valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException("expected maybe, at_least_once or at_most_once, got " + value);
    }
  }

  /** The names as --help and the messages give them, lower case: for completion. */
  static final class Names implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(CallSemantics.values()).map(s -> s.name().toLowerCase(Locale.ROOT)).iterator();
    }
  }
}
