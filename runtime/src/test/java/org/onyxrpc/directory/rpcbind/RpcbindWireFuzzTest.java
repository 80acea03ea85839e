package org.onyxrpc.directory.rpcbind;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.onyxrpc.internal.directory.Names;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.internal.rpcbind.Rpcb;
import org.onyxrpc.testing.Allocations;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrException;
import org.onyxrpc.xdr.XdrReader;

/**
 * Any bytes as the directory's wire types (portmap, rpcbind, names): a value, an {@link
 * XdrException}, or a value type's {@link IllegalArgumentException} (a netid of 32 bytes that
 * decode to more UTF-8 than a netid may hold), which the server answers with GARBAGE_ARGS; and
 * no allocation beyond a small multiple of the bytes. Corpus: {@code src/test/resources/org/onyxrpc/directory/rpcbind/RpcbindWireFuzzTestInputs}.
 */
class RpcbindWireFuzzTest {
  private static final List<XdrCodec<?>> TYPES = List.of(Portmap.Mapping.CODEC, Portmap.MAPPING_LIST,
      Portmap.CallResult.CODEC, Rpcb.Mapping.CODEC, Rpcb.MAPPING_LIST, Rpcb.CallArgs.CODEC,
      Rpcb.CallResult.CODEC, Rpcb.ENTRY_LIST, Rpcb.NetBuf.CODEC, Names.RegisterArgs.CODEC,
      Names.INSTANCE, Names.LOOKUP.result());

  @FuzzTest
  void decode(byte[] input) {
    for (XdrCodec<?> type : TYPES) {
      Allocations.bounded(input.length, 32, () -> {
        try {
          new XdrReader(Unpooled.wrappedBuffer(input)).readWhole(type);
        } catch (XdrException | IllegalArgumentException expected) {
          // refused
        }
      });
    }
  }
}
