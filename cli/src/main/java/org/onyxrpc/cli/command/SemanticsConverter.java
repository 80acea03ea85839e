package org.onyxrpc.cli.command;

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
}
