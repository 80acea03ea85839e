package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The whole text of what {@link RpcClientBuilder#build()} says when the builder lacks something. */
class ClientBuilderMessagesTest {
  @Test
  void buildWithoutAServerSaysEveryWayToNameOne() {
    // Before: "address is required", though a Unix socket, an in-process name or a directory do too.
    assertEquals("no server to call: give address(host, port), unixSocket(path), inProcess(name)"
        + " or directory(directory, program, version)",
        assertThrows(IllegalStateException.class, () -> RpcClient.builder().build()).getMessage());
  }
}
