package org.onyxrpc.server;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import org.onyxrpc.transport.UnixSocketAddress;

/**
 * The file behind a Unix-domain server's socket: a stale one (its server died without removing
 * it) is replaced before binding, and the server's own is removed on close, unless another
 * server has replaced it meanwhile. Abstract names have no file, and nothing to do.
 */
final class UnixSocketFile {
  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;

  private final Path path; // null: an abstract name
  private Object fileKey; // the inode this server bound

  private UnixSocketFile(Path path) {
    this.path = path;
  }

  /**
   * Makes way for a server at {@code address}: removes a socket file nobody listens on. Refuses
   * to touch a file that is not a socket, or a socket a live server accepts on.
   */
  static UnixSocketFile prepare(UnixSocketAddress address) throws IOException {
    if (address.isAbstract()) {
      return new UnixSocketFile(null);
    }
    Path path = address.path();
    int mode;
    try {
      mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return new UnixSocketFile(path);
    }
    if ((mode & S_IFMT) != S_IFSOCK) {
      throw new IOException("cannot listen on " + path + ": it exists and is not a socket");
    }
    try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      probe.connect(UnixDomainSocketAddress.of(path));
      throw new IOException("cannot listen on " + path + ": a running server listens on it");
    } catch (ConnectException e) {
      // Refused: nobody accepts on it. A server that died left it behind.
      Files.deleteIfExists(path);
    }
    return new UnixSocketFile(path);
  }

  /** Records the file the server now listens on, so that close removes that one only. */
  void bound() throws IOException {
    if (path != null) {
      fileKey = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }
  }

  /** Removes the socket file if it is still the one this server bound. */
  void remove() {
    if (path == null || fileKey == null) {
      return;
    }
    try {
      Object now = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
      if (Objects.equals(now, fileKey)) {
        Files.delete(path);
      }
    } catch (IOException e) {
      // Gone already, or not ours to remove: either way nothing is left of this server.
    }
  }
}
