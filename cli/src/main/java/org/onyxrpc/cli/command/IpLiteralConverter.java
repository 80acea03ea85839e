package org.onyxrpc.cli.command;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * An IP address written out ({@code 10.0.0.5}, {@code fd00::5}), never a host name: what other
 * machines are told to reach must not depend on this machine's name service at start-up.
 */
final class IpLiteralConverter implements ITypeConverter<InetAddress> {
  private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:.]+");

  @Override
  public InetAddress convert(String value) {
    if (!LITERAL.matcher(value).matches()) {
      throw new TypeConversionException("an IP address is needed, not a name: " + value);
    }
    try {
      return InetAddress.getByName(value); // a literal: parsed, never looked up
    } catch (UnknownHostException e) {
      throw new TypeConversionException("not an IP address: " + value);
    }
  }
}
