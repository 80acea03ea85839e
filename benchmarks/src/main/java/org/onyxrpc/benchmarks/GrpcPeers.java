package org.onyxrpc.benchmarks;

import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.Marshaller;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC-java server and a connected channel in the fastest unary configuration grpc-java
 * documents: Netty transport (grpc-netty-shaded, native epoll), plaintext HTTP/2,
 * {@code directExecutor()} on both server and channel (handlers and callbacks run on the I/O
 * threads), and a byte-array marshaller instead of protobuf, so the messages are the same bytes
 * Onyx puts after its RPC header ({@link TwoInts}; the echo payload as is).
 *
 * <p>The server runs on event loops of its own ({@link GrpcServerLoops}): by default grpc-netty's
 * server and channel share one process-wide worker group, so the two ends of a call could not be
 * told apart, and could even share a thread.
 */
final class GrpcPeers implements AutoCloseable {
  /** The service name in the method paths. */
  static final String SERVICE = "onyx.bench.Bench";
  /** {@code add}: 8 bytes in (two ints), 4 out. */
  static final MethodDescriptor<byte[], byte[]> ADD = unary("Add");
  /** {@code echo}: the request's bytes back. */
  static final MethodDescriptor<byte[], byte[]> ECHO = unary("Echo");

  private final GrpcServerLoops loops = new GrpcServerLoops();
  final Server server;
  final ManagedChannel channel;

  GrpcPeers() throws IOException {
    ServerServiceDefinition service = ServerServiceDefinition.builder(SERVICE)
        .addMethod(ADD, ServerCalls.asyncUnaryCall((args, reply) -> {
          reply.onNext(TwoInts.add(args));
          reply.onCompleted();
        }))
        .addMethod(ECHO, ServerCalls.asyncUnaryCall((data, reply) -> {
          reply.onNext(data);
          reply.onCompleted();
        }))
        .build();
    InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    server = loops.configure(NettyServerBuilder.forAddress(any))
        .directExecutor()
        .maxInboundMessageSize(16 << 20)
        .addService(service)
        .build()
        .start();
    channel = NettyChannelBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getPort()))
        .usePlaintext()
        .directExecutor()
        .maxInboundMessageSize(16 << 20)
        .build();
    // Connects (HTTP/2 preface and settings) before anything is measured.
    TwoInts.sum(ClientCalls.blockingUnaryCall(channel, ADD, io.grpc.CallOptions.DEFAULT, TwoInts.ARGS));
  }

  @Override
  public void close() {
    try {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      loops.close();
    }
  }

  private static MethodDescriptor<byte[], byte[]> unary(String name) {
    return MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
        .setRequestMarshaller(Bytes.INSTANCE)
        .setResponseMarshaller(Bytes.INSTANCE)
        .build();
  }

  /**
   * byte[] as is. The stream it hands gRPC knows its length and drains straight into gRPC's
   * framer ({@link io.grpc.KnownLength}, {@link io.grpc.Drainable}): what protobuf's own
   * marshaller does, without the copy a plain stream would need.
   */
  enum Bytes implements Marshaller<byte[]> {
    INSTANCE;

    @Override
    public InputStream stream(byte[] value) {
      return new BytesStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readNBytes(stream.available());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static final class BytesStream extends ByteArrayInputStream
      implements io.grpc.KnownLength, io.grpc.Drainable {
    BytesStream(byte[] bytes) {
      super(bytes);
    }

    @Override
    public int drainTo(OutputStream target) throws IOException {
      int n = count - pos;
      target.write(buf, pos, n);
      pos = count;
      return n;
    }
  }
}
