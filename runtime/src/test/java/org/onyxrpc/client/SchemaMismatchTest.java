package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrCodecs;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * A client and a server built from two versions of one IDL (a parameter or a result changed
 * type): the failure says what the caller should check first.
 */
class SchemaMismatchTest {
  private static final int PROGRAM = 0x20007711;
  /** The server's version of the procedure: an int in, an int out. */
  private static final Procedure<Integer, Integer> SERVED =
      new Procedure<>(PROGRAM, 1, 1, "Counter.next", XdrCodecs.INT, XdrCodecs.INT);

  private static RpcException call(Procedure<?, ?> asked) throws Exception {
    try (RpcServer server = RpcServer.builder().inProcess("schema-mismatch")
            .addService(ServiceDefinition.builder(PROGRAM, 1).procedure(SERVED, (n, context) -> n + 1).build())
            .build().start();
        RpcClient client = RpcClient.builder().inProcess("schema-mismatch").build()) {
      @SuppressWarnings("unchecked")
      Procedure<Object, ?> procedure = (Procedure<Object, ?>) asked;
      Object argument = asked.name().endsWith("byName") ? "seven" : (Object) 7;
      return assertThrows(RpcException.class, () -> client.call(procedure, argument));
    }
  }

  @Test
  void argumentsTheServerCannotDecodeAskWhetherTheIdlIsTheSame() throws Exception {
    RpcException e = call(new Procedure<>(PROGRAM, 1, 1, "Counter.byName", XdrCodecs.STRING, XdrCodecs.INT));
    assertEquals(RpcStatus.GARBAGE_ARGS, e.status(), e.getMessage());
    assertTrue(e.getMessage().endsWith(" (if their values are valid: are client and server built from the same IDL?)"),
        e.getMessage());
  }

  /**
   * GARBAGE_ARGS: the server did not carry out the call, so it may be sent again, but the same
   * arguments will be refused again; the client's own codec reads them back, so the fault is
   * between client and server (here another version of the IDL), not in the client.
   */
  @Test
  void refusedArgumentsThatTheClientReadsBackBlameVersionSkewAndMayBeSentAgain() throws Exception {
    RpcException e = call(new Procedure<>(PROGRAM, 1, 1, "Counter.byName", XdrCodecs.STRING, XdrCodecs.INT));
    assertEquals(RpcStatus.GARBAGE_ARGS, e.status(), e.getMessage());
    assertEquals("server in-process schema-mismatch refused the arguments of Counter.byName (program 0x20007711 version 1"
        + " procedure 1) (GARBAGE_ARGS) and did not carry out the call; this client reads back what"
        + " it sent, so the server reads these arguments otherwise: its implementation found"
        + " their values invalid, they are past a limit of its decoder, or it is built from another"
        + " version of the IDL (version skew). The call may be sent again, but these arguments"
        + " will be refused again (if their values are valid: are client and server built from"
        + " the same IDL?)",
        e.getMessage());
  }

  /** A codec that writes what it does not read: the server refuses it, and the client says whose fault. */
  @Test
  void refusedArgumentsThatTheClientCannotReadBackBlameItsCodec() throws Exception {
    XdrCodec<Integer> lopsided = new XdrCodec<>() {
      @Override
      public void encode(XdrWriter out, Integer value) {
        out.writeInt(value);
        out.writeInt(value); // a field its decoder does not read
      }

      @Override
      public Integer decode(XdrReader in) {
        return in.readInt();
      }
    };
    RpcException e = call(new Procedure<>(PROGRAM, 1, 1, "Counter.next", lopsided, XdrCodecs.INT));
    assertEquals(RpcStatus.GARBAGE_ARGS, e.status(), e.getMessage());
    assertTrue(e.getMessage().startsWith("server in-process schema-mismatch refused the arguments of Counter.next (program"
        + " 0x20007711 version 1 procedure 1) (GARBAGE_ARGS) and did not carry out the call; this"
        + " client's codec is at fault: it cannot decode the arguments it encodes ("), e.getMessage());
    assertTrue(e.getMessage().endsWith(". The call may be sent again, but these arguments will be"
        + " refused again"), e.getMessage());
  }

  @Test
  void aResultTheClientCannotDecodeAsksWhetherTheIdlIsTheSame() throws Exception {
    RpcException e = call(new Procedure<>(PROGRAM, 1, 1, "Counter.next", XdrCodecs.INT, XdrCodecs.HYPER));
    assertEquals(RpcStatus.INTERNAL, e.status(), e.getMessage());
    assertTrue(e.getMessage().startsWith("cannot decode the result of Counter.next"), e.getMessage());
    assertTrue(e.getMessage().endsWith("; are client and server built from the same IDL?"), e.getMessage());
  }
}
