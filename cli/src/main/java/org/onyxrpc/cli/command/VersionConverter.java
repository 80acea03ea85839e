package org.onyxrpc.cli.command;

import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A program version, decimal or hex ({@code 0x80000001}), as PROGRAM is taken and as an IDL may
 * write it. A sign passes, for the commands to refuse a negative version in their own words; other
 * scripts' digits do not, which {@link Long#parseLong} would read (Arabic-Indic 3 is 3).
 */
final class VersionConverter implements ITypeConverter<Long> {
  private static final Pattern DECIMAL = Pattern.compile("[-+]?[0-9]+");
  private static final Pattern HEX = Pattern.compile("0[xX][0-9a-fA-F]+");

  @Override
  public Long convert(String value) {
    try {
      if (DECIMAL.matcher(value).matches()) {
        return Long.parseLong(value);
      }
      if (HEX.matcher(value).matches()) {
        return Long.parseLong(value.substring(2), 16);
      }
    } catch (NumberFormatException e) {
      // more digits than a long holds: refused below, as any other text
    }
    throw new TypeConversionException("expected a version number (decimal, or hex as 0x2), got " + value);
  }
}
