package org.onyxrpc.benchmarks;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * No network: encoding and decoding {@link Trade#SAMPLE} with Onyx's XDR codec and with
 * protobuf-java, each into and out of a buffer that is reused (a Netty heap buffer for XDR, as
 * the runtime writes into pooled buffers; a byte array for protobuf, as {@code writeTo} with a
 * caller's array does). Decoding builds a new {@link Trade}, two Strings included; {@code -prof gc}
 * gives the bytes allocated per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class Codecs {
  private final ByteBuf xdrOut = Unpooled.buffer(256);
  final ByteBuf xdrIn = Unpooled.buffer(256);
  private final byte[] protoOut = new byte[256];
  private final byte[] protoIn;
  final int protoLength;

  public Codecs() {
    Trade.XDR.encode(new XdrWriter(xdrIn), Trade.SAMPLE);
    byte[] bytes = new byte[256];
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      Trade.SAMPLE.writeProto(out);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    protoIn = bytes;
    protoLength = out.getTotalBytesWritten();
  }

  @Benchmark
  public int xdrEncode() {
    xdrOut.clear();
    Trade.XDR.encode(new XdrWriter(xdrOut), Trade.SAMPLE);
    return xdrOut.writerIndex();
  }

  @Benchmark
  public Trade xdrDecode() {
    xdrIn.readerIndex(0);
    return Trade.XDR.decode(new XdrReader(xdrIn));
  }

  @Benchmark
  public int protobufEncode() throws IOException {
    CodedOutputStream out = CodedOutputStream.newInstance(protoOut);
    Trade.SAMPLE.writeProto(out);
    return out.getTotalBytesWritten();
  }

  @Benchmark
  public Trade protobufDecode() throws IOException {
    return Trade.readProto(CodedInputStream.newInstance(protoIn, 0, protoLength));
  }
}
