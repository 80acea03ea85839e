package org.onyxrpc.transport;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a {@link Transport#UNIX} server listens: a filesystem path, or a Linux abstract name.
 *
 * <p>An abstract name lives in the kernel, not in the filesystem: nothing to clean up, and no
 * file permissions guard it (any local process may connect; use the peer credentials to decide).
 * Written as {@code ss}, systemd and socat write it, with a leading {@code '@'}: {@code
 * parse("@onyx-calc")} is the abstract name {@code onyx-calc}, which the kernel stores with a
 * leading NUL byte (a leading NUL is accepted too). Anything else is a path. The JDK's {@code
 * UnixDomainSocketAddress} has no abstract names, hence this type.
 *
 * <pre>{@code
 * UnixSocketAddress file = UnixSocketAddress.of(Path.of("/run/user/1000/calc.sock"));
 * UnixSocketAddress name = UnixSocketAddress.parse("@calc");    // Linux abstract namespace
 * }</pre>
 */
public final class UnixSocketAddress extends SocketAddress {
  private static final long serialVersionUID = 1L;
  /** Bytes of {@code sun_path}: 108 on Linux, the path's terminating NUL included. */
  public static final int MAX_PATH_BYTES = 107;

  /** As written: a path, or '@' and an abstract name. */
  private final String name;
  /** Whether {@link #name} is an abstract name. */
  private final boolean abstractName;


  private UnixSocketAddress(String name, boolean abstractName) {
    this.name = name;
    this.abstractName = abstractName;
  }

  /**
   * A socket file at {@code path}.
   *
   * @param path the socket file's path, at most {@value #MAX_PATH_BYTES} bytes
   * @return the address
   * @throws IllegalArgumentException if the path is empty or too long
   */
  public static UnixSocketAddress of(Path path) {
    String text = Objects.requireNonNull(path, "path").toString();
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty Unix socket path");
    }
    checkLength(text, text);
    return new UnixSocketAddress(text, false);
  }

  /**
   * The abstract name {@code name} (given without the {@code '@'}).
   *
   * @param name the name, not empty
   * @return the address
   * @throws IllegalArgumentException if the name is empty or too long
   */
  public static UnixSocketAddress abstractName(String name) {
    if (Objects.requireNonNull(name, "name").isEmpty()) {
      throw new IllegalArgumentException("empty abstract socket name");
    }
    checkLength(name, "@" + name);
    return new UnixSocketAddress("@" + name, true);
  }

  /**
   * A path, or an abstract name if {@code text} starts with {@code '@'} or a NUL byte.
   *
   * @param text a path, {@code @name}, or a NUL byte and the name
   * @return the address
   * @throws IllegalArgumentException if the name is empty or too long
   */
  public static UnixSocketAddress parse(String text) {
    if (Objects.requireNonNull(text, "text").startsWith("@") || text.startsWith("\0")) {
      return abstractName(text.substring(1));
    }
    return of(Path.of(text));
  }

  private static void checkLength(String bytesOf, String shown) {
    int bytes = bytesOf.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_PATH_BYTES) {
      throw new IllegalArgumentException("Unix socket name of " + bytes + " bytes is over the "
          + MAX_PATH_BYTES + " the kernel takes: " + shown);
    }
  }

  /**
   * True for a Linux abstract name, false for a path.
   *
   * @return whether the address is an abstract name
   */
  public boolean isAbstract() {
    return abstractName;
  }

  /**
   * The socket file's path.
   *
   * @return the path
   * @throws IllegalStateException for an abstract name, which has no file
   */
  public Path path() {
    if (abstractName) {
      throw new IllegalStateException(name + " is an abstract name, not a path");
    }
    return Path.of(name);
  }

  /**
   * The name as the kernel takes it: the path, or a NUL byte followed by the abstract name.
   *
   * @return the name, for the socket call
   */
  public String kernelName() {
    return abstractName ? "\0" + name.substring(1) : name;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UnixSocketAddress other && other.name.equals(name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  /**
   * The path, or {@code '@'} and the abstract name: the form {@link #parse} reads.
   *
   * @return the path, or {@code @name}
   */
  @Override
  public String toString() {
    return name;
  }
}
