package org.onyxrpc.cli.command;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code 250ms}, {@code 10s}, {@code 2m}, or an ISO-8601 duration ({@code PT10S}). */
final class DurationConverter implements ITypeConverter<Duration> {
  private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h)");

  @Override
  public Duration convert(String value) {
    Matcher m = SHORT.matcher(value.trim());
    Duration d;
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      d = switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
    } else {
      try {
        d = Duration.parse(value);
      } catch (java.time.format.DateTimeParseException e) {
        throw new TypeConversionException("expected a duration such as 500ms, 10s or 2m, got " + value);
      }
    }
    if (d.isZero() || d.isNegative()) {
      throw new TypeConversionException("the duration must be positive, got " + value);
    }
    return d;
  }
}
