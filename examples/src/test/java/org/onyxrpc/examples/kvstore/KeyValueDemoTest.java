package org.onyxrpc.examples.kvstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.examples.Endpoint;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;

/** Runs the key-value store over loopback: both versions, the union, optional values, lists. */
class KeyValueDemoTest {
  @Test
  void printsWhatItsReadmeShows() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    KeyValueDemo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertEquals("""
        server: KeyValueStore versions 1 and 2 (program 0x20000201)
        v2: put(color, blue, expected 0) = revision 1
        v2: put(color, green, expected 1) = revision 2
        v2: put(color, red, expected 1) threw VersionConflict: color is at revision 2, not 1
        v2: get(color) = green (revision 2)
        v2: get(shape) = missing
        v1: put(fruit/apple, fruit/banana, fruit/cherry) with no revision check
        v1: get(fruit/banana) = BANANA (revision 1)
        v2: list(from start, 2) = [color, fruit/apple], next fruit/banana
        v2: list(from fruit/banana, 2) = [fruit/banana, fruit/cherry], at the end
        v1: remove(color) = true
        v3: PROG_MISMATCH: the server has versions 1..2
        server: shut down
        """, bytes.toString(StandardCharsets.UTF_8));
  }

  /** The same calls and answers over the transport {@code --transport} chooses. */
  @ParameterizedTest
  @ValueSource(strings = {"unix", "in-process"})
  void printsTheSameOverTheTransportTheFlagChooses(String transport) throws Exception {
    ByteArrayOutputStream tcp = new ByteArrayOutputStream();
    KeyValueDemo.run(new PrintStream(tcp, true, StandardCharsets.UTF_8));
    Endpoint where = Endpoint.fromArgs(new ArrayList<>(List.of("--transport", transport)), "kvstore-test", 0);
    ByteArrayOutputStream other = new ByteArrayOutputStream();
    KeyValueDemo.run(where, new PrintStream(other, true, StandardCharsets.UTF_8));
    assertEquals(tcp.toString(StandardCharsets.UTF_8), other.toString(StandardCharsets.UTF_8));
  }

  @Test
  void bothVersionsShareOneStore() throws Exception {
    try (RpcServer server = KeyValueServer.start(Endpoint.inProcess("kvstore-1"));
        RpcClient rpc = RpcClient.builder().inProcess("kvstore-1").build()) {
      KeyValueStoreV1.KeyValueStore v1 = KeyValueStoreV1.newClient(rpc);
      KeyValueStoreV2.KeyValueStore v2 = KeyValueStoreV2.newClient(rpc);
      byte[] big = new byte[KvstoreConstants.MAX_VALUE];
      big[big.length - 1] = 7;
      assertEquals(1, v2.put("k", big, null));
      Lookup found = v1.get("k");
      assertArrayEquals(big, assertInstanceOf(Lookup.Value.class, found).value().value());
      assertEquals(Presence.FOUND, found.presence());
      v1.put("k", new byte[0]);
      VersionConflict conflict = assertThrows(VersionConflict.class, () -> v2.put("k", new byte[1], 0L));
      assertEquals(List.of("k", 0L, 2L), List.of(conflict.key(), conflict.expected(), conflict.actual()));
      assertEquals(new Page(List.of(), null), v2.list("l", 10));
    }
  }

  @Test
  void boundsAreCheckedBeforeAnythingIsSent() throws Exception {
    try (RpcServer server = KeyValueServer.start(Endpoint.inProcess("kvstore-2"));
        RpcClient rpc = RpcClient.builder().inProcess("kvstore-2").build()) {
      KeyValueStoreV2.KeyValueStore v2 = KeyValueStoreV2.newClient(rpc);
      assertThrows(RuntimeException.class, () -> v2.put("k", new byte[KvstoreConstants.MAX_VALUE + 1], null));
      RpcException tooMany = assertThrows(RpcException.class, () -> v2.list(null, KeyValueServer.MAX_PAGE + 1));
      assertEquals(RpcStatus.GARBAGE_ARGS, tooMany.status(), "the caller's mistake, not the server's");
    }
  }
}
