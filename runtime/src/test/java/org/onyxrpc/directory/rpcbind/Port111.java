package org.onyxrpc.directory.rpcbind;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.onyxrpc.testing.Unavailable;

/**
 * What every directory interop test on port 111 does around each of its tests, once: before, the
 * tools it needs are found (or it is skipped or failed as {@link NativeTools#require} says),
 * port 111 of 127.0.0.1 is waited for until free, and a {@link NativeTools} is made in the
 * test's work directory; after, every process it started is stopped. Registered on an instance
 * field, after the test's {@code @TempDir}, whose value it reads only when a test begins:
 *
 * <pre>{@code
 * @TempDir Path work;
 * @RegisterExtension final Port111 port111 = Port111.in(() -> work).requiring("gcc");
 * }</pre>
 *
 * Its callbacks run around the test class's own {@code @BeforeEach} and {@code @AfterEach}.
 */
final class Port111 implements BeforeEachCallback, AfterEachCallback {
  private final Supplier<Path> work;
  private final String[] commands;
  private final String registers;
  private NativeTools tools;

  private Port111(Supplier<Path> work, String[] commands, String registers) {
    this.work = work;
    this.commands = commands;
    this.registers = registers;
  }

  /** Around each test, tools working in {@code work} (read when the test begins). */
  static Port111 in(Supplier<Path> work) {
    return new Port111(work, new String[0], null);
  }

  /** As this, skipped or failed unless each of {@code commands} is found. */
  Port111 requiring(String... commands) {
    return new Port111(work, commands.clone(), registers);
  }

  /**
   * As this, skipped or failed unless {@link NativeTools#RPCBIND_SOCKET} may be written, through
   * which {@code who} ("rpcgen's server registers on", say) reaches the host's rpcbind.
   */
  Port111 registeringThroughTheRpcbindSocket(String who) {
    return new Port111(work, commands, who);
  }

  /** The current test's tools. */
  NativeTools tools() {
    return tools;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    NativeTools.require(commands);
    if (registers != null && !Files.isWritable(NativeTools.RPCBIND_SOCKET.getParent())) {
      Unavailable.because(registers + " " + NativeTools.RPCBIND_SOCKET + ", which needs root");
    }
    tools = new NativeTools(work.get());
    // The previous test's processes have exited, but the kernel may still hold their sockets.
    NativeTools.awaitPort111();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (tools != null) {
      tools.close();
      tools = null;
    }
  }
}
