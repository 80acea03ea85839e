package org.onyxrpc.directory.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.internal.directory.Names;
import org.onyxrpc.internal.directory.NamesListing;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.internal.rpcbind.Rpcb;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.OversizedReplyPeer;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrWriter;

/**
 * A directory's replies are bounded by what one can sensibly be, a DUMP of the most entries a
 * directory lists, not by the client's general 16 MiB: a directory (or whatever answers on port
 * 111) that sends more fails the call with the limit in its message.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DirectoryReplyLimitTest {
  /** RFC 5531: xid, REPLY, MSG_ACCEPTED, a verifier of at most 400 bytes, SUCCESS. */
  private static final int LONGEST_REPLY_HEADER = 4 + 4 + 4 + 4 + 4 + 400 + 4;

  private static <T> int encoded(XdrCodec<T> codec, T value) {
    ByteBuf buf = Unpooled.buffer();
    try {
      codec.encode(new XdrWriter(buf), value);
      return buf.readableBytes();
    } finally {
      buf.release();
    }
  }

  private static String longest(int bytes) {
    return "x".repeat(bytes);
  }

  @Test
  void theLongestRepliesADirectorySendsFitTheLimit() {
    Rpcb.Mapping mapping = new Rpcb.Mapping(1, 1, longest(Rpcb.MAX_NETID), longest(Rpcb.MAX_ADDRESS),
        longest(Rpcb.MAX_OWNER));
    int dump = encoded(Rpcb.MAPPING_LIST, Collections.nCopies(Portmap.MAX_DUMP, mapping));
    Rpcb.Entry entry = new Rpcb.Entry(longest(Rpcb.MAX_ADDRESS), longest(Rpcb.MAX_NETID), 1,
        longest(Rpcb.MAX_NETID), longest(Rpcb.MAX_NETID));
    int addressList = encoded(Rpcb.ENTRY_LIST, Collections.nCopies(Portmap.MAX_DUMP, entry));
    ServiceInstance instance = new ServiceInstance(longest(ServiceInstance.MAX_NAME), 1, 1,
        longest(Rpcb.MAX_NETID), longest(Rpcb.MAX_ADDRESS), longest(Rpcb.MAX_OWNER));
    int lookup = encoded(Names.LOOKUP.result(), Collections.nCopies(Names.MAX_INSTANCES, instance));
    // onyx list's: the names with their leases, under the same limit (Portmap.MAX_REPLY_BYTES)
    int listing = encoded(NamesListing.LIST.result(),
        Collections.nCopies(Names.MAX_INSTANCES, new NamesListing.Listed(instance, -1L)));
    for (int reply : List.of(dump, addressList, lookup, listing)) {
      assertTrue(LONGEST_REPLY_HEADER + reply <= RemoteDirectory.MAX_REPLY_BYTES,
          reply + " bytes of results");
    }
    assertTrue(dump > RemoteDirectory.MAX_REPLY_BYTES / 2, "the limit is near the longest DUMP: " + dump);
  }

  @Test
  void aReplyLongerThanAnyDirectorySendsFailsTheCallSayingSo() throws Exception {
    try (OversizedReplyPeer peer = OversizedReplyPeer.start(RemoteDirectory.MAX_REPLY_BYTES + 1)) {
      try (RemoteDirectory directory = RemoteDirectory.builder()
          .address("127.0.0.1", peer.port()).build()) {
        RpcException e = assertThrows(RpcException.class, () -> directory.lookup("org.example.Calc"));
        // The lookup ran: ended at once, not retransmitted until its deadline for the same reply.
        assertEquals(RpcStatus.INTERNAL, e.status(), e.getMessage());
        assertTrue(e.getMessage().contains("exceeds the maximum of " + RemoteDirectory.MAX_REPLY_BYTES),
            e.getMessage());
      }
    }
  }

  @Test
  void aReplyOverTheLimitInSmallFragmentsFailsTheCallAtOnceToo() throws Exception {
    try (OversizedReplyPeer peer = OversizedReplyPeer.startFragmented(RemoteDirectory.MAX_REPLY_BYTES,
        64 * 1024)) {
      try (RemoteDirectory directory = RemoteDirectory.builder()
          .address("127.0.0.1", peer.port()).build()) {
        RpcException e = assertThrows(RpcException.class, () -> directory.lookup("org.example.Calc"));
        // Each fragment is within the limit, their sum is not: the same failure as one fragment
        // over it, not a lost connection retransmitted until the deadline.
        assertEquals(RpcStatus.INTERNAL, e.status(), e.getMessage());
        assertTrue(e.getMessage().contains("exceeds the maximum of " + RemoteDirectory.MAX_REPLY_BYTES),
            e.getMessage());
      }
    }
  }
}
