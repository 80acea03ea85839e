package org.onyxrpc.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.TooLongFrameException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;
import org.onyxrpc.testing.LeakDetection;

/**
 * Any byte stream, cut anywhere: the assembler yields records within its limits or fails with
 * {@link TooLongFrameException}, holds little beyond the bytes it counts, and releases all.
 * Corpus: {@code src/test/resources/org/onyxrpc/internal/transport/RecordAssemblerFuzzTestInputs}.
 */
@ExtendWith(LeakDetection.class)
class RecordAssemblerFuzzTest {
  private static final int MAX_RECORD = 4096;
  private static final int MAX_FRAGMENTS = 64;

  @FuzzTest
  void reassemble(FuzzedDataProvider data) {
    int cut = data.consumeInt(1, 64);
    byte[] wire = data.consumeRemainingAsBytes();
    ByteBuf in = Unpooled.wrappedBuffer(wire);
    RecordAssembler assembler = new RecordAssembler(MAX_RECORD, MAX_FRAGMENTS);
    List<ByteBuf> records = new ArrayList<>();
    ByteBuf pending = Unpooled.buffer();
    try {
      while (in.isReadable()) {
        pending.writeBytes(in, Math.min(cut, in.readableBytes()));
        assembler.decode(pending, ByteBufAllocator.DEFAULT, records::add);
        pending.discardReadBytes();
        assertTrue(assembler.bufferedBytes() <= MAX_RECORD);
        assertTrue(assembler.heldComponents() <= 2 + MAX_RECORD / RecordAssembler.SMALL_FRAGMENT);
      }
    } catch (TooLongFrameException expected) {
      assertEquals(0, assembler.heldComponents(), "a failed record keeps nothing");
    } finally {
      assembler.release();
      for (ByteBuf record : records) {
        assertTrue(record.readableBytes() <= MAX_RECORD);
        record.release();
      }
      assertEquals(1, pending.refCnt(), "every slice of the input was released");
      pending.release();
    }
  }
}
