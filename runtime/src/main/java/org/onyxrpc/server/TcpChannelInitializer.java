package org.onyxrpc.server;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import org.onyxrpc.internal.transport.RecordDecoder;
import org.onyxrpc.internal.transport.RecordReadSizing;

/** The pipeline of one accepted connection: its guard, record reassembly, the connection. */
final class TcpChannelInitializer extends ChannelInitializer<SocketChannel> {
  private final CallProcessor processor;
  private final ServerState state;
  private final ServerConfig config;
  private final ByteBudget budget;

  TcpChannelInitializer(CallProcessor processor, ServerState state, ServerConfig config,
      ByteBudget budget) {
    this.processor = processor;
    this.state = state;
    this.config = config;
    this.budget = budget;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    RecordDecoder decoder = new RecordDecoder(config.maxRecordBytes(), config.maxFragmentsPerRecord());
    TcpConnection connection =
        new TcpConnection(processor, state, config.maxConcurrentCallsPerConnection());
    ReceiveGuard guard = new ReceiveGuard(decoder, connection, budget, config);
    connection.guard(guard);
    if (config.tls() != null) {
      connection.tls(config.tls(), decoder);
    }
    ch.config().setRecvByteBufAllocator(new RecordReadSizing(decoder::missingBytes));
    ch.pipeline().addLast(guard, decoder, connection);
  }
}
