package org.onyxrpc.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.DuplexChannelConfig;
import io.netty.channel.socket.SocketChannel;
import org.onyxrpc.internal.transport.RecordDecoder;
import org.onyxrpc.internal.transport.RecordReadSizing;
import org.onyxrpc.transport.Transport;

/**
 * The pipeline of one accepted connection of a record-marked transport (TCP, Unix-domain,
 * in-process): its guard, record reassembly, the connection. The same codecs on every one.
 */
final class TcpChannelInitializer extends ChannelInitializer<Channel> {
  private final CallProcessor processor;
  private final ServerState state;
  private final ServerConfig config;
  private final ByteBudget budget;
  private final UnreadReplies replies;
  private final Transport transport;
  private final HandshakeSlots handshakes; // null: no TLS

  TcpChannelInitializer(CallProcessor processor, ServerState state, ServerConfig config,
      ByteBudget budget, UnreadReplies replies, Transport transport, HandshakeSlots handshakes) {
    this.handshakes = handshakes;
    this.replies = replies;
    this.transport = transport;
    this.processor = processor;
    this.state = state;
    this.config = config;
    this.budget = budget;
  }

  @Override
  protected void initChannel(Channel ch) {
    RecordDecoder decoder = new RecordDecoder(config.maxRecordBytes(), config.maxFragmentsPerRecord());
    // What the limiter counted it by (an address, a Unix-domain peer's uid), so that a local
    // user's connections share one client's runners as one host's do.
    Object client = ConnectionLimiter.client(ch);
    TcpConnection connection = new TcpConnection(processor, state,
        config.maxConcurrentCallsPerConnection(), transport, client, config.shutdownTimeout());
    ReceiveGuard guard = new ReceiveGuard(decoder, connection, budget, replies,
        new HandedOverReplies(replies), config);
    connection.guard(guard);
    if (config.tls() != null && transport == Transport.TCP) { // RFC 9289 is TCP's
      connection.tls(config.tls(), decoder, config.recordTimeout(), handshakes, client);
    }
    ch.config().setRecvByteBufAllocator(new RecordReadSizing(decoder::missingBytes));
    if (ch.config() instanceof DuplexChannelConfig duplex) {
      // A client may shut its side once its calls are sent: it still gets their replies.
      duplex.setAllowHalfClosure(true);
    }
    ch.pipeline().addLast(guard, decoder, connection);
  }
}
