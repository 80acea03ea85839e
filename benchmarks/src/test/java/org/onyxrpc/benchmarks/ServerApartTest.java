package org.onyxrpc.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

/** A benchmark's server in a JVM of its own answers the ADD call, and closing it ends that JVM. */
@Timeout(60)
class ServerApartTest {
  @ParameterizedTest
  @ValueSource(strings = {"onyx-dedicated", "blocking"})
  void answersAndEndsWhenClosed(String kind) throws Exception {
    ServerApart server = new ServerApart(kind);
    try (BlockingCaller caller = BlockingCaller.tcp(server.port())) {
      assertEquals(AddProgram.ARGS.a() + AddProgram.ARGS.b(), caller.call());
      assertEquals(AddProgram.ARGS.a() + AddProgram.ARGS.b(), caller.call());
    } finally {
      server.close(); // waits for the JVM to end
    }
    assertFalse(server.running(), "the server's JVM ended");
  }
}
