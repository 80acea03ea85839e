package org.onyxrpc.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * An Onyx server in a JVM of its own, so that a test can {@code kill -9} it. It prints its port,
 * then "ran ID" for every call it runs, before it replies: the test's ledger survives the kill.
 */
public final class ForkedServer implements AutoCloseable {
  public static final int PROGRAM = 0x20000700;
  /** Runs, and answers its argument. */
  public static final Procedure<Long, Long> RECORD =
      new Procedure<>(PROGRAM, 1, 1, "Forked.record", XdrCodecs.HYPER, XdrCodecs.HYPER);
  /** Runs, and never answers. */
  public static final Procedure<Long, Long> HOLD =
      new Procedure<>(PROGRAM, 1, 2, "Forked.hold", XdrCodecs.HYPER, XdrCodecs.HYPER);

  private final Process process;
  private final int port;
  /** The ids of the calls it ran, complete once the process is gone. */
  public final Set<Long> ran = ConcurrentHashMap.newKeySet();
  /** How many times it ran each id. */
  public final java.util.Map<Long, Integer> runs = new ConcurrentHashMap<>();
  private final CountDownLatch exited = new CountDownLatch(1);

  /** Starts a server on {@code port} (0: any) and waits for it to listen. */
  public ForkedServer(int port) throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElse("java");
    process = new ProcessBuilder(java, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-cp", System.getProperty("java.class.path"),
        ForkedServer.class.getName(), Integer.toString(port))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String first = out.readLine();
    if (first == null || !first.startsWith("port ")) {
      process.destroyForcibly();
      throw new IOException("forked server did not start: " + first);
    }
    this.port = Integer.parseInt(first.substring(5));
    Thread reader = new Thread(() -> {
      try {
        for (String line; (line = out.readLine()) != null; ) {
          long id = Long.parseLong(line.substring(4));
          runs.merge(id, 1, Integer::sum);
          ran.add(id);
        }
      } catch (IOException e) {
        // gone
      } finally {
        exited.countDown();
      }
    }, "forked-server-ledger");
    reader.setDaemon(true);
    reader.start();
  }

  public int port() {
    return port;
  }

  /** Blocks until {@code id} has run. */
  public void awaitRan(long id) throws InterruptedException {
    while (!ran.contains(id)) {
      if (exited.await(1, TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("the forked server exited");
      }
    }
  }

  /** SIGKILL, as {@code kill -9}; returns once its ledger is complete. */
  public void kill() throws InterruptedException {
    // Through the handle: Process.destroyForcibly() also closes our end of the child's stdout,
    // and the "ran" lines still in the pipe were lost with it (a call that ran just before the
    // kill then looked as if it never had).
    process.toHandle().destroyForcibly();
    process.waitFor();
    exited.await(); // the ledger has read every line the process wrote
  }

  @Override
  public void close() {
    try {
      kill();
    } catch (InterruptedException e) {
      // Not thrown: a try-with-resources whose body failed would suppress it, and the interrupt
      // with it. The flag keeps it.
      Thread.currentThread().interrupt();
    }
  }

  public static void main(String[] args) throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    // The port line first, whatever comes in: a server restarted on its old port while clients
    // retransmit runs calls as soon as it listens, and a "ran" line before it failed the start.
    synchronized (System.out) {
      RpcServer server = RpcServer.builder().port(Integer.parseInt(args[0]))
          .addService(ServiceDefinition.builder(PROGRAM, 1)
              .procedure(RECORD, (id, ctx) -> ran(id))
              .procedure(HOLD, (id, ctx) -> {
                ran(id);
                never.await();
                return id;
              })
              .build())
          .build().start();
      System.out.println("port " + server.port());
      System.out.flush();
    }
    never.await();
  }

  private static long ran(long id) {
    synchronized (System.out) {
      System.out.println("ran " + id);
      System.out.flush();
    }
    return id;
  }
}
