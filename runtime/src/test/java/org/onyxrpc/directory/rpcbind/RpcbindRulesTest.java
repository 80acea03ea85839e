package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.internal.rpcbind.Rpcb;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.rpc.Credentials;
import org.onyxrpc.server.CallContext;
import org.onyxrpc.transport.Transport;

/** How much a UDP reply may carry, and the standalone directory's arguments. */
class RpcbindRulesTest {
  private static CallContext call(Transport t, String from, Credentials credentials) throws Exception {
    return new CallContext(1, Portmap.PROGRAM, 4, 4, credentials,
        new InetSocketAddress(InetAddress.getByName(from), 700), t);
  }

  private static List<Rpcb.Mapping> mappings(int n) {
    List<Rpcb.Mapping> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(new Rpcb.Mapping(0x20000000 + i, 1, "tcp", "0.0.0.0.1." + i, "superuser"));
    }
    return list;
  }

  @Test
  void aUdpDumpToAnotherMachineIsNeverLargerThanItsCall() throws Exception {
    List<Rpcb.Mapping> all = mappings(50);
    assertEquals(all, Amplification.trim(call(Transport.UDP, "127.0.0.1", Credentials.NONE), all, Rpcb.MAPPING_LIST),
        "loopback sources cannot be forged from elsewhere");
    assertEquals(all, Amplification.trim(call(Transport.TCP, "192.0.2.1", Credentials.NONE), all, Rpcb.MAPPING_LIST),
        "TCP's handshake proves the source");
    assertEquals(List.of(), Amplification.trim(call(Transport.UDP, "192.0.2.1", Credentials.NONE), all,
        Rpcb.MAPPING_LIST), "a 40-byte call gets no entries");
    // A caller that pads its call with a large credential gets what fits in no more bytes.
    AuthSys padded = new AuthSys(0, "x".repeat(200), 1, 1, new int[16]);
    CallContext big = call(Transport.UDP, "192.0.2.1", padded);
    List<Rpcb.Mapping> some = Amplification.trim(big, all, Rpcb.MAPPING_LIST);
    assertTrue(!some.isEmpty() && some.size() < all.size(), some.size() + " entries");
    int callBytes = 40 + padded.toOpaqueAuth().body().length;
    int replyBytes = 24 + 4 + some.size() * (4 + 4 + 4 + 4 + 4 + 4 + 16 + 4 + 12);
    assertTrue(replyBytes <= callBytes, replyBytes + " reply bytes for a call of " + callBytes);
  }
}
