package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.testing.Unavailable;

/**
 * The queue protocol is open to C: a client that rpcgen and gcc build from the {@code onyx_mq.x}
 * the module ships (on the class path, as in the jar) opens a queue of an Onyx queue server,
 * receives a message Java sent in the protocol's two steps (receive, then commit), sends, puts a
 * reservation back (release), reads status and attributes, cancels an arrival notification
 * before asking for it, gets the failures (ENOENT, EAGAIN, EBADF, ECANCELED) in the reply
 * union's arm 1, and leaves a message that Java receives. Without rpcgen, gcc or libtirpc's
 * headers it is skipped, and fails under CI, as the runtime's interop tests are.
 */
@Timeout(180)
class MqCClientTest {
  private static final String SHIPPED = "/org/onyxrpc/mq/onyx_mq.x";
  private static final Path C_SOURCES = Path.of("src/test/c");

  @TempDir Path work;

  @Test
  void aCClientFromTheShippedXFileSendsReceivesAndCommits() throws Exception {
    requireToolchain();
    URL x = MqCClientTest.class.getResource(SHIPPED);
    assertNotNull(x, SHIPPED + " is not on the class path");
    // Built in the test's own directory: NativeBuilds' cache sits beside the runtime's test
    // classes, which for this module are a jar in the local repository.
    Files.copy(Path.of(x.toURI()), work.resolve("onyx_mq.x"));
    Files.copy(C_SOURCES.resolve("mq_client.c"), work.resolve("mq_client.c"));
    run("rpcgen", "-h", "-o", "onyx_mq.h", "onyx_mq.x");
    run("rpcgen", "-c", "-o", "onyx_mq_xdr.c", "onyx_mq.x");
    run("rpcgen", "-l", "-o", "onyx_mq_clnt.c", "onyx_mq.x");
    run("gcc", "-std=gnu11", "-O1", "-I/usr/include/tirpc", "-I.", "-o", "mq_client",
        "mq_client.c", "onyx_mq_xdr.c", "onyx_mq_clnt.c", "-ltirpc");
    Path client = work.resolve("mq_client");
    try (QueueFixture fixture = new QueueFixture()) {
      RpcClient java = fixture.client(1000, 1000);
      try (MessageQueue queue = MessageQueues.open(java, "/from-java",
          OpenOptions.create(0600, QueueAttributes.of(10, 64)))) {
        queue.send("from java".getBytes(StandardCharsets.UTF_8), 3);

        Path out = work.resolve("mq.stdout");
        Path err = work.resolve("mq.stderr");
        Process c = new ProcessBuilder(client.toString(), Integer.toString(fixture.server.port()))
            .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
          if (!c.waitFor(120, TimeUnit.SECONDS) || c.exitValue() != 0) {
            fail("mq_client failed; stdout:\n" + Files.readString(out) + "stderr:\n" + Files.readString(err));
          }
        } finally {
          c.destroyForcibly();
        }
        assertEquals("open /no-such-queue MQ_ENOENT\n"
            + "open /c-made with 0 and 0 MQ_EINVAL\n"
            + "open /c-made with 10 and 8192 max 10 size 8192\n"
            + "close /c-made ok\n"
            + "unlink /c-made ok\n"
            + "open /c-defaults with MQ_DEFAULT_ATTRIBUTES max 10 size 8192\n"
            + "close /c-defaults ok\n"
            + "unlink /c-defaults ok\n"
            + "open /from-java max 10 size 64 current 1 lease positive\n"
            + "receive priority 3 \"from java\"\n"
            + "commit ok\n"
            + "send low ok\n"
            + "send high ok\n"
            + "receive priority 9 \"high from C\"\n"
            + "release ok\n"
            + "status depth 2 reserved 0 handles 2\n"
            + "list /from-java more 0\n"
            + "receive priority 9 \"high from C\"\n"
            + "commit ok\n"
            + "receive priority 1 \"low from C\"\n"
            + "commit ok\n"
            + "receive empty failed 11 MQ_EAGAIN\n"
            + "send for java ok\n"
            + "attributes current 1\n"
            + "cancel notify for ok\n"
            + "notify on arrival for failed 125 MQ_ECANCELED (detail)\n"
            + "cancel notify ok\n"
            + "close ok\n"
            + "close again failed 9 MQ_EBADF (detail)\n"
            + "unlink /no-such-queue failed 2 MQ_ENOENT (detail)\n", Files.readString(out));

        ReceivedMessage last = queue.tryReceive();
        assertEquals("for java", new String(last.message(), StandardCharsets.UTF_8));
        assertEquals(7, last.priority());
      }
    }
  }

  /** Runs a build command in the work directory; fails, quoting its output, unless it exits 0. */
  private void run(String... command) throws Exception {
    Path log = work.resolve("build.log");
    Process p = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        fail(String.join(" ", command) + " failed; output:\n" + Files.readString(log));
      }
    } finally {
      p.destroyForcibly();
    }
  }

  /** As the runtime's NativeInterop: skipped on a developer's machine, failed under CI. */
  private static void requireToolchain() {
    boolean tools = onPath("rpcgen") && onPath("gcc")
        && Files.isRegularFile(Path.of("/usr/include/tirpc/rpc/rpc.h"));
    if (tools) {
      return;
    }
    String message = "MqCClientTest needs rpcgen, gcc and libtirpc's headers. On Debian: apt-get"
        + " install rpcsvc-proto gcc libtirpc-dev";
    Unavailable.because(message);
  }

  private static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }
}
