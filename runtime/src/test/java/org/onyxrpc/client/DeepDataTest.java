package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.testing.TestTransport;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrCodecs;
import org.onyxrpc.xdr.XdrLimits;

/**
 * Data nested deeper than an Onyx reader takes (a tree, as a C peer sends and takes without a
 * bound) is valid XDR past a limit, not a sign of another IDL or of a faulty codec. Before, a
 * result 300 deep was "cannot decode the result …: data nested deeper than 256; are client and
 * server built from the same IDL?", and arguments 300 deep that the server refused were "this
 * client's codec is at fault: it cannot decode the arguments it encodes".
 */
class DeepDataTest {
  /** A tree that leans left: a node and its optional left child. */
  record Tree(Tree left) {
    static final XdrCodec<Tree> CODEC = XdrCodecs.of(
        (out, t) -> out.writeOptional(t.left(), Tree.CODEC), in -> new Tree(in.readOptional(Tree.CODEC)));

    static Tree deep(int depth) {
      Tree t = new Tree(null);
      for (int i = 1; i < depth; i++) {
        t = new Tree(t);
      }
      return t;
    }
  }

  private static final int PROGRAM = 0x20000611;
  private static final Procedure<Integer, Tree> GROW =
      new Procedure<>(PROGRAM, 1, 1, "Deep.grow", XdrCodecs.INT, Tree.CODEC);
  private static final Procedure<Tree, Integer> TAKE =
      new Procedure<>(PROGRAM, 1, 2, "Deep.take", Tree.CODEC, XdrCodecs.INT);

  private static RpcServer server() throws Exception {
    return TestTransport.server().addService(ServiceDefinition.builder(PROGRAM, 1)
        .procedure(GROW, (depth, ctx) -> Tree.deep(depth))
        .procedure(TAKE, (tree, ctx) -> 1)
        .build()).build().start();
  }

  @Test
  void aResultNestedPastTheClientsDepthIsToldAsSuchNotAsAnotherIdl() throws Exception {
    int deeper = XdrLimits.DEFAULT_MAX_DEPTH + 44;
    try (RpcServer server = server(); RpcClient client = TestTransport.client(server).build()) {
      RpcException e = assertThrows(RpcException.class, () -> client.call(GROW, deeper));
      assertEquals(RpcStatus.INTERNAL, e.status(), e::toString);
      assertTrue(e.getMessage().contains("data nested deeper than 256, the most this client reads"), e::getMessage);
      assertFalse(e.getMessage().contains("same IDL"), e::getMessage);
    }
  }

  @Test
  void argumentsNestedPastTheServersDepthAreNotBlamedOnTheClientsCodec() throws Exception {
    int deeper = XdrLimits.DEFAULT_MAX_DEPTH + 44;
    try (RpcServer server = server(); RpcClient client = TestTransport.client(server).build()) {
      RpcException e = assertThrows(RpcException.class, () -> client.call(TAKE, Tree.deep(deeper)));
      assertEquals(RpcStatus.GARBAGE_ARGS, e.status(), e::toString);
      assertFalse(e.getMessage().contains("codec is at fault"), e::getMessage);
      assertTrue(e.getMessage().contains("nested deeper than 256, the most an Onyx server reads by default"),
          e::getMessage);
      assertEquals(1, client.call(TAKE, Tree.deep(10)));
    }
  }
}
