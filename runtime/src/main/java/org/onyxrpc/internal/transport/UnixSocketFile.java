package org.onyxrpc.internal.transport;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.Objects;
import org.onyxrpc.transport.UnixSocketAddress;

/**
 * The file behind a Unix-domain server's socket: a stale one (its server died without removing
 * it) is replaced before binding, and the server's own is removed on close, unless another
 * server has replaced it meanwhile. Abstract names have no file, and nothing to do.
 *
 * <p>The socket is bound under a temporary name beside the path and renamed onto it: the rename
 * puts it in place at once, and Netty, which deletes the path it bound when the channel closes,
 * then deletes only that temporary name (gone by then), never a file another server put at the
 * path.
 */
public final class UnixSocketFile {
  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;

  private final UnixSocketAddress address;
  private final Path path; // null: an abstract name
  private final Path temporary; // null: bound in place (abstract, or no room for another name)
  private Object fileKey; // the inode this server bound

  private UnixSocketFile(UnixSocketAddress address, Path path) {
    this.address = address;
    this.path = path;
    this.temporary = path == null ? null : temporaryBeside(path);
  }

  private static Path temporaryBeside(Path path) {
    Path dir = path.toAbsolutePath().getParent();
    String name = ".onyx-" + Long.toHexString(new SecureRandom().nextLong());
    Path temporary = dir == null ? null : dir.resolve(name);
    return temporary != null && temporary.toString().getBytes(StandardCharsets.UTF_8).length
        <= UnixSocketAddress.MAX_PATH_BYTES ? temporary : null;
  }

  /** Where to bind: the temporary name, which {@link #bound} renames onto the path. */
  public UnixSocketAddress bindAddress() {
    return temporary == null ? address : UnixSocketAddress.of(temporary);
  }

  /**
   * Makes way for a server at {@code address}: removes a socket file nobody listens on. Refuses
   * to touch a file that is not a socket, or a socket a live server accepts on.
   */
  public static UnixSocketFile prepare(UnixSocketAddress address) throws IOException {
    if (address.isAbstract()) {
      return new UnixSocketFile(address, null);
    }
    Path path = address.path();
    int mode;
    try {
      mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return new UnixSocketFile(address, path);
    }
    if ((mode & S_IFMT) != S_IFSOCK) {
      throw new IOException("cannot listen on " + path + ": it exists and is not a socket");
    }
    if (live(path)) {
      throw new IOException("cannot listen on " + path + ": a running server listens on it");
    }
    try {
      Files.deleteIfExists(path); // nobody accepts on it: a server that died left it behind
    } catch (FileSystemException e) {
      // Another user's, in a directory such as /tmp whose sticky bit keeps it theirs (EPERM), or
      // in one this user may not write (EACCES): before, the path and the errno's words alone.
      throw new IOException("cannot listen on " + path + ": " + SystemErrors.words(e) + ": a socket file nobody"
          + " listens on is there that this user may not remove (another user's?); remove it as its owner or"
          + " root, or choose another path", e);
    }
    return new UnixSocketFile(address, path);
  }

  /** Whether a server accepts on the socket file at {@code path}: refused is a stale file. */
  private static boolean live(Path path) throws IOException {
    try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      probe.connect(UnixDomainSocketAddress.of(path));
      return true;
    } catch (ConnectException e) {
      return false;
    } catch (IOException e) {
      // Connecting needs write permission on the socket: another user's left with mode 0755
      // said "Permission denied" alone, naming no file.
      throw new IOException("cannot listen on " + path + ": " + SystemErrors.words(e) + ": a socket file is there"
          + " that this user may not connect to (another user's?); remove it as its owner or root, or choose"
          + " another path", e);
    }
  }

  /**
   * Puts the socket bound at {@link #bindAddress} in place and records its file, so that close
   * removes that one only.
   */
  public void bound() throws IOException {
    if (path == null) {
      return;
    }
    if (temporary != null) {
      try {
        Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        Files.deleteIfExists(temporary);
        // The system's words alone: the JDK's name the temporary file, which the user never gave.
        throw new IOException("cannot listen on " + path + ": " + SystemErrors.words(e), e);
      }
    }
    fileKey = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
  }

  /** Removes the socket file if it is still the one this server bound. */
  public void remove() {
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
