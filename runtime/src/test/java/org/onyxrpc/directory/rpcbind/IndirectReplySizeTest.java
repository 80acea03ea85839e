package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.internal.rpcbind.Rpcb;
import org.onyxrpc.rpc.Credentials;
import org.onyxrpc.server.CallContext;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrWriter;

/**
 * An indirect call's reply over UDP to another machine is never larger than its call, counted
 * in the bytes each takes on the wire. The check counted them unpadded: a 60-byte call (4 bytes
 * of arguments) got a 64-byte reply (a 15-character address, 13 bytes of results).
 */
class IndirectReplySizeTest {
  /** RFC 5531: xid .. procedure, AUTH_NONE credential and verifier. */
  private static final int CALL_HEADER = 40;
  /** RFC 5531: xid, REPLY, MSG_ACCEPTED, AUTH_NONE verifier, SUCCESS. */
  private static final int REPLY_HEADER = 24;

  private static CallContext elsewhere(int program) throws Exception {
    return new CallContext(1, program, 4, 5, Credentials.NONE,
        new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 700), Transport.UDP);
  }

  private static <T> int size(XdrCodec<T> codec, T value) {
    ByteBuf buf = Unpooled.buffer();
    try {
      codec.encode(new XdrWriter(buf), value);
      return buf.readableBytes();
    } finally {
      buf.release();
    }
  }

  @Test
  void theExampleFromTheHostileRoundIsNotSent() throws Exception {
    Rpcb.CallArgs args = new Rpcb.CallArgs(0x20000001, 1, 1, new byte[4]);
    Rpcb.CallResult result = new Rpcb.CallResult("192.0.2.99.0.80", new byte[13]);
    assertEquals(60, CALL_HEADER + size(Rpcb.CallArgs.CODEC, args));
    assertEquals(64, REPLY_HEADER + size(Rpcb.CallResult.CODEC, result));
    assertFalse(RpcbindService.fitsUdp(elsewhere(Rpcb.PROGRAM), args, result));
  }

  @Test
  void noIndirectReplyThatFitsIsLargerThanItsCall() throws Exception {
    CallContext rpcb = elsewhere(Rpcb.PROGRAM);
    CallContext portmap = elsewhere(Portmap.PROGRAM);
    for (int a = 0; a <= 24; a++) {
      Rpcb.CallArgs args = new Rpcb.CallArgs(0x20000001, 1, 1, new byte[a]);
      int call = CALL_HEADER + size(Rpcb.CallArgs.CODEC, args);
      for (int r = 0; r <= 24; r++) {
        Portmap.CallResult port = new Portmap.CallResult(80, new byte[r]);
        if (PortmapService.fitsUdp(portmap, args, port)) {
          int reply = REPLY_HEADER + size(Portmap.CallResult.CODEC, port);
          assertTrue(reply <= call, "CALLIT v2: " + reply + " reply bytes for a call of " + call);
        }
        for (int u = 0; u <= 24; u++) {
          Rpcb.CallResult result = new Rpcb.CallResult("x".repeat(u), new byte[r]);
          if (RpcbindService.fitsUdp(rpcb, args, result)) {
            int reply = REPLY_HEADER + size(Rpcb.CallResult.CODEC, result);
            assertTrue(reply <= call, "INDIRECT: " + reply + " reply bytes for a call of " + call);
          }
        }
      }
    }
    // Not so strict as to refuse what does fit: equal sizes are sent.
    assertTrue(RpcbindService.fitsUdp(rpcb, new Rpcb.CallArgs(1, 1, 1, new byte[8]),
        new Rpcb.CallResult("", new byte[4])));
  }
}
