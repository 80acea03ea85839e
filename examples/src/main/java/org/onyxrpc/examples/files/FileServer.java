package org.onyxrpc.examples.files;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.onyxrpc.examples.Endpoint;
import org.onyxrpc.examples.ExampleMain;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.RpcServerBuilder;
import org.onyxrpc.transport.Transport;

/**
 * The server side of the file service: stores each file under a root directory and writes every
 * block at its own offset, so blocks may arrive in any order and more than once. Implements the
 * interface generated from {@code src/main/idl/files.idl}.
 */
public final class FileServer implements FileServiceV1.FileService {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
  /**
   * The largest file it keeps: one write at an offset of 2^40 would otherwise make a sparse file
   * of a terabyte, which every later stat reads through to hash.
   */
  static final long MAX_FILE_BYTES = 1L << 30;

  private final Path root;

  /** A service storing its files directly under {@code root}. */
  public FileServer(Path root) {
    this.root = root;
  }

  @Override
  public void write(String name, long offset, byte[] data) throws BadFileName {
    Path file = resolve(name);
    if (offset < 0) {
      throw new BadFileName(name, "negative offset " + offset);
    }
    if (offset > MAX_FILE_BYTES - data.length) { // so, never overflowing: no sum past 2^63 either
      throw new BadFileName(name, "a file is at most " + MAX_FILE_BYTES + " bytes; this write would end at byte "
          + (offset + data.length) + (offset + data.length < 0 ? " past 2^63" : ""));
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(data);
      while (buffer.hasRemaining()) {
        channel.write(buffer, offset + buffer.position());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public FileInfo stat(String name) throws NoSuchFile {
    Path file = existing(name);
    try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file), sha256())) {
      long size = in.transferTo(OutputStream.nullOutputStream());
      return new FileInfo(name, size, in.getMessageDigest().digest());
    } catch (NoSuchFileException e) {
      throw new NoSuchFile(name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Block read(String name, long offset, int count) throws NoSuchFile {
    Path file = existing(name);
    if (offset < 0) {
      // The caller's mistake, not the server's: GARBAGE_ARGS, where any other exception is SYSTEM_ERR.
      throw new RpcException(RpcStatus.GARBAGE_ARGS, "negative offset " + offset + " of " + name);
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      int length = (int) Math.max(0, Math.min(Math.min(count, FilesConstants.MAX_BLOCK), size - offset));
      ByteBuffer buffer = ByteBuffer.allocate(length);
      while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) >= 0) {
        // read until the block is full
      }
      return new Block(buffer.array(), offset + length >= size);
    } catch (NoSuchFileException e) {
      throw new NoSuchFile(name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public boolean remove(String name) {
    try {
      return NAME.matcher(name).matches() && Files.deleteIfExists(root.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path resolve(String name) throws BadFileName {
    if (!NAME.matcher(name).matches()) {
      throw new BadFileName(name, "use letters, digits, '.', '_' and '-', not starting with '.'");
    }
    return root.resolve(name);
  }

  private Path existing(String name) throws NoSuchFile {
    Path file = root.resolve(name);
    if (!NAME.matcher(name).matches() || !Files.isRegularFile(file)) {
      throw new NoSuchFile(name);
    }
    return file;
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** Serves files under {@code root} on {@code port} of the loopback address (0: a free port), over TCP. */
  public static RpcServer start(Path root, int port) throws IOException {
    return start(root, Endpoint.tcp("localhost", port));
  }

  /**
   * Where the file service really is when {@code where} names UDP: TCP on the same port, since a
   * block is larger than a datagram. Any other endpoint as it is.
   */
  public static Endpoint overStreams(Endpoint where) {
    return where.transport() == Transport.UDP ? Endpoint.tcp(where.host(), where.port()) : where;
  }

  /** Serves files under {@code root} where {@code where} says; over IP, TCP only. */
  public static RpcServer start(Path root, Endpoint where) throws IOException {
    RpcServerBuilder builder = where.listen(RpcServer.builder());
    if (where.transport() == Transport.TCP || where.transport() == Transport.UDP) {
      builder.transports(Transport.TCP); // blocks are larger than a UDP datagram
    }
    return builder
        .addService(FileServiceV1.bind(new FileServer(root)))
        .build()
        .start();
  }

  /** Serves the directory given as first argument (default: a new temporary one) on port 4713 until stopped. */
  public static void main(String[] args) throws Exception {
    ExampleMain.run("FileServer", () -> serve(args));
  }

  static void serve(String[] args) throws Exception {
    List<String> rest = new ArrayList<>(List.of(args));
    Endpoint where = Endpoint.fromArgs(rest, "files", 4713).servedAlone("FileDemo");
    Endpoint.atMost(rest, 2, "[DIRECTORY] [PORT]");
    if (rest.size() > 1) {
      where = where.atPort(Endpoint.port(rest.get(1)));
    }
    if (!rest.isEmpty() && !Files.isDirectory(Path.of(rest.get(0)))) {
      throw new IllegalArgumentException("not a directory: " + rest.get(0));
    }
    Path temporary = rest.isEmpty() ? Files.createTempDirectory("onyx-files") : null;
    Path root = temporary != null ? temporary : Path.of(rest.get(0)).toAbsolutePath();
    RpcServer server = start(root, where);
    // On SIGTERM (Ctrl-C, kill, systemctl stop): withdraw from the directory, finish the calls in
    // flight, close. (RpcServerBuilder.withdrawOnExit() does only the withdrawing.)
    Runtime.getRuntime().addShutdownHook(new Thread(() -> close(server, temporary)));
    System.out.println("FileService serving " + root + ": " + where.listening(server) + "; Ctrl-C stops it");
    Thread.currentThread().join();
  }

  /**
   * Closes {@code server}, then removes {@code temporary}, the directory made for it (null: none),
   * unless files are left in it: those were uploaded, and are kept.
   */
  static void close(RpcServer server, Path temporary) {
    server.close();
    if (temporary != null) {
      try {
        Files.deleteIfExists(temporary);
      } catch (IOException e) {
        // Not empty: the files stay where the startup line said.
      }
    }
  }
}
