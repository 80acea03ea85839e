package org.onyxrpc.examples.files;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.client.RpcClientBuilder;
import org.onyxrpc.examples.Endpoint;
import org.onyxrpc.examples.ExampleMain;

/**
 * The client side of the file service: uploads a large file as blocks with several calls in
 * flight on one connection (the asynchronous stub), checks the server's SHA-256, and downloads it
 * again block by block (the blocking stub).
 */
public final class FileClient {
  private final FileServiceV1.FileService files;
  private final FileServiceV1.AsyncFileService async;

  /** A client over {@code rpc}, which it does not close. */
  public FileClient(RpcClient rpc) {
    this.files = FileServiceV1.newClient(rpc);
    this.async = FileServiceV1.newAsyncClient(rpc);
  }

  /**
   * Sends {@code content} as {@code name} in blocks of {@code blockSize} bytes with at most
   * {@code inFlight} calls outstanding; returns the number of blocks.
   */
  public int upload(String name, byte[] content, int blockSize, int inFlight) throws InterruptedException {
    Semaphore window = new Semaphore(inFlight);
    List<CompletableFuture<Void>> sent = new ArrayList<>();
    for (int offset = 0; offset < content.length; offset += blockSize) {
      window.acquire();
      byte[] block = Arrays.copyOfRange(content, offset, Math.min(content.length, offset + blockSize));
      sent.add(async.write(name, offset, block).whenComplete((ok, failure) -> window.release()));
    }
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
    return sent.size();
  }

  /** The size and SHA-256 the server has for {@code name}. */
  public FileInfo stat(String name) throws NoSuchFile {
    return files.stat(name);
  }

  /** Reads {@code name} back in blocks of {@code blockSize} bytes until the end of the file. */
  public byte[] download(String name, int blockSize) throws NoSuchFile {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    Block block;
    do {
      block = files.read(name, content.size(), blockSize);
      content.writeBytes(block.data());
    } while (!block.eof());
    return content.toByteArray();
  }

  /** Removes {@code name}; true when it was there. */
  public boolean remove(String name) {
    return files.remove(name);
  }

  /** Uploads, checks, downloads and removes {@code content} on the server at {@code host:port}, printing each step. */
  public static void run(String host, int port, byte[] content, PrintStream out) throws Exception {
    run(RpcClient.builder().address(host, port), content, out);
  }

  /** The same with the server that {@code server} reaches, over its transport. */
  public static void run(RpcClientBuilder server, byte[] content, PrintStream out) throws Exception {
    int blockSize = 64 * 1024;
    try (RpcClient rpc = server.build()) {
      FileClient client = new FileClient(rpc);
      int blocks = client.upload("big.bin", content, blockSize, 8);
      out.println("client: uploaded " + content.length + " bytes as big.bin in " + blocks + " blocks of "
          + blockSize + ", up to 8 in flight");
      FileInfo info = client.stat("big.bin");
      boolean same = Arrays.equals(info.sha256(), FileServer.sha256().digest(content));
      out.println("client: stat(big.bin) = " + info.size() + " bytes, SHA-256 "
          + (same ? "matches" : "DIFFERS FROM") + " the local copy");
      byte[] back = client.download("big.bin", blockSize);
      out.println("client: downloaded " + back.length + " bytes, "
          + (Arrays.equals(back, content) ? "identical to" : "DIFFERENT FROM") + " the upload");
      try {
        client.download("missing.bin", blockSize);
      } catch (NoSuchFile e) {
        out.println("client: read(missing.bin) threw NoSuchFile: " + e.name());
      }
      out.println("client: remove(big.bin) = " + client.remove("big.bin"));
    }
  }

  /** Round-trips 8 MiB through the file service at localhost:4713, or the host, port or both given. */
  public static void main(String[] args) throws Exception {
    ExampleMain.run("FileClient", () -> call(args));
  }

  static void call(String[] args) throws Exception {
    List<String> rest = new ArrayList<>(List.of(args));
    if (rest.contains("--transport")) { // see Endpoint
      Endpoint where = FileServer.overStreams(Endpoint.fromArgs(rest, "files", 4713).calling(rest));
      run(where.client(), FileDemo.content(8 << 20), System.out);
      return;
    }
    Endpoint at = Endpoint.calledAt(rest, 4713);
    run(at.host(), at.port(), FileDemo.content(8 << 20), System.out);
  }
}
