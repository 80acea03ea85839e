package org.onyxrpc.idl.schema;

import java.math.BigInteger;
import org.onyxrpc.idl.source.Location;

/**
 * {@code const NAME = value;}, evaluated: an integer in -2^63 .. 2^64-1, or for the rpcgen
 * extension {@code const NAME = "text";} a string ({@code value} null, {@code text} set).
 *
 * @param name the constant's name
 * @param value the integer value, or null for a string
 * @param text the string of {@code const NAME = "text";}, or null
 * @param doc its doc comment's text, or null
 * @param location where it is declared
 */
public record Constant(String name, BigInteger value, String text, String doc, Location location) {
  /**
   * True for a string constant.
   *
   * @return whether {@code text} is set rather than {@code value}
   */
  public boolean isText() {
    return text != null;
  }
}
