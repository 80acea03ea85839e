package org.onyxrpc.internal.transport;

import java.util.regex.Pattern;

/**
 * The operating system's words in a failure of Netty's native transport, as the JDK's own sockets
 * give them: "Address already in use", not "bind(..) failed with error(-98): Address already in
 * use", which names Netty's native call and the negated errno.
 */
public final class SystemErrors {
  /** What Netty's native transport puts before the system's words: "finishConnect(..) failed with error(-111): ". */
  private static final Pattern NATIVE_CALL = Pattern.compile("^\\w+\\(\\.\\.\\) failed(?: with error\\(-?\\d+\\))?: ");

  private SystemErrors() {}

  /** {@code message} without the native call's prefix; as it is when it has none, null for null. */
  public static String withoutNativeCall(String message) {
    if (message == null) {
      return null;
    }
    String words = NATIVE_CALL.matcher(message).replaceFirst("");
    return words.isEmpty() ? message : words;
  }

  /** The words of {@code failure} for a message: its own, without a native call's prefix, else its class's name. */
  public static String words(Throwable failure) {
    return failure.getMessage() != null ? withoutNativeCall(failure.getMessage()) : failure.getClass().getSimpleName();
  }
}
