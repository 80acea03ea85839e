package org.onyxrpc.cli.command;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A number of bytes: {@code 8192}, or with a binary suffix, {@code 64K}, {@code 16M}, {@code 1G} (KiB, MiB, GiB). */
final class ByteSizeConverter implements ITypeConverter<Long> {
  private static final Pattern SIZE = Pattern.compile("(\\d{1,18})([kmg]?)(?:i?b)?");

  @Override
  public Long convert(String value) {
    Matcher m = SIZE.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new TypeConversionException("expected bytes such as 8192, 64K, 16M or 1G, got " + value);
    }
    long n = Long.parseLong(m.group(1));
    int shift = switch (m.group(2)) {
      case "k" -> 10;
      case "m" -> 20;
      case "g" -> 30;
      default -> 0;
    };
    if (n > Long.MAX_VALUE >> shift) {
      throw new TypeConversionException("too many bytes: " + value);
    }
    return n << shift;
  }
}
