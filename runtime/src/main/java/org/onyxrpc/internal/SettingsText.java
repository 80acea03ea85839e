package org.onyxrpc.internal;

import io.netty.handler.ssl.SslContext;
import java.util.List;

/**
 * The text of a builder's or a configuration's settings: {@code Name[key=value, ...]}, as a
 * record prints, with what would print {@code Object}'s text (an {@code SslContext}) named by
 * what it is. Never key material: an {@code SslContext} holds its key and certificates and this
 * names its kind only.
 */
public final class SettingsText {
  private final StringBuilder text;
  private boolean first = true;

  /** Starts the text of {@code name}'s settings. */
  public SettingsText(String name) {
    text = new StringBuilder(256).append(name).append('[');
  }

  /** Adds {@code key=value}. */
  public SettingsText add(String key, Object value) {
    if (!first) {
      text.append(", ");
    }
    first = false;
    text.append(key).append('=').append(value);
    return this;
  }

  /** Adds {@code key=value} unless {@code value} is null. */
  public SettingsText addIfSet(String key, Object value) {
    return value == null ? this : add(key, value);
  }

  /** Adds a list of objects a user gave (interceptors, say) unless it is empty. */
  public SettingsText addIfAny(String key, List<?> values) {
    return values.isEmpty() ? this : add(key, values);
  }

  @Override
  public String toString() {
    return text + "]";
  }

  /**
   * An address as a user writes it: {@code host:port} for an IP address (not {@code
   * /127.0.0.1:111}), the address's own text otherwise.
   *
   * @param address the address, or null
   * @return its text, or "none"
   */
  public static String address(java.net.SocketAddress address) {
    if (address instanceof java.net.InetSocketAddress ip) {
      String host = ip.getHostString();
      return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + ip.getPort();
    }
    return address == null ? "none" : address.toString();
  }

  /**
   * A TLS context named by its kind: {@code JdkSslServerContext (server)}. Its key, certificates
   * and any password stay out, whatever the implementation's own text would print.
   *
   * @param context the context, or null
   * @return its kind, or "none"
   */
  public static String sslContext(SslContext context) {
    if (context == null) {
      return "none";
    }
    return context.getClass().getSimpleName() + " (" + (context.isClient() ? "client" : "server") + ")";
  }
}
