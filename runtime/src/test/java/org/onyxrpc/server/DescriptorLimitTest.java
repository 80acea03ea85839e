package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A server whose I/O threads need more descriptors than the process may open says so, with the
 * limit and the way out. Each event loop holds about three, and a server's default is two loops
 * a core: on 64 cores under {@code ulimit -n 256} the README's first example ended in Netty's
 * "failed to create a child event loop" and a stack trace. Here a child JVM under
 * {@code ulimit -n 128} asks for 64 threads.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DescriptorLimitTest {
  @Test
  void tooFewDescriptorsForTheIoThreadsIsSaidAsWhatToDo() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child = new ProcessBuilder("bash", "-c", "ulimit -n 128 && exec \"$0\" \"$@\"", java,
        "-cp", System.getProperty("java.class.path"), DescriptorLimitTest.class.getName())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, child.waitFor(), out);
    assertEquals(List.of("cannot start 64 I/O threads (onyx-server-io): Too many open files: each holds about 3 file"
        + " descriptors, and this process may open 128 (ulimit -n); raise the limit, or start fewer threads"
        + " (RpcServerBuilder.ioThreads, RpcClientBuilder.eventLoopGroup)"), out.lines().toList());
  }

  /** Builds a server of 64 I/O threads and prints why it could not (the child's work). */
  public static void main(String[] args) {
    try {
      RpcServer.builder().ioThreads(64).addService(ServiceDefinition.builder(0x20000777, 1).build()).build().close();
      System.out.println("built: 64 I/O threads fit");
    } catch (UncheckedIOException e) {
      System.out.println(e.getMessage()); // as onyx prints it: before, prefixed "java.io.IOException: "
    } catch (RuntimeException e) {
      System.out.println(e);
    }
  }
}
