package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.testing.TestService;

/**
 * The largest record limit the builders take, {@code Integer.MAX_VALUE}, means "no limit of
 * Onyx's own", not a negative one: the client's limit of a whole message (the record and its
 * 4-byte mark) overflowed to {@code Integer.MIN_VALUE + 3}, and every call was refused as too
 * long before it was sent.
 */
class LargestRecordLimitTest {
  @Test
  void callsAreSentAndAnsweredUnderTheLargestRecordLimit() throws Exception {
    try (RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
            .maxRecordBytes(Integer.MAX_VALUE)
            .addService(new TestService().definition()).build().start();
        RpcClient client = RpcClient.builder().address("localhost", server.port())
            .maxRecordBytes(Integer.MAX_VALUE).build()) {
      assertEquals(42, client.call(TestService.ADD, new TestService.Pair(2, 40)));
    }
  }
}
