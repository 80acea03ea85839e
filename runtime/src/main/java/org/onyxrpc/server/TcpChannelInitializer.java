package org.onyxrpc.server;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import org.onyxrpc.transport.RecordDecoder;

/** The pipeline of one accepted connection: idle check, record reassembly, the connection. */
final class TcpChannelInitializer extends ChannelInitializer<SocketChannel> {
  private final CallProcessor processor;
  private final ServerState state;
  private final RpcServerBuilder config;

  TcpChannelInitializer(CallProcessor processor, ServerState state, RpcServerBuilder config) {
    this.processor = processor;
    this.state = state;
    this.config = config;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ch.pipeline().addLast(
        new IdleStateHandler(config.recordTimeout.toNanos(), 0, 0, TimeUnit.NANOSECONDS),
        new RecordDecoder(config.maxRecordBytes),
        new TcpConnection(processor, state, config.maxConcurrentCallsPerConnection));
  }
}
