package org.onyxrpc.server;

import io.netty.buffer.ByteBuf;
import java.net.SocketAddress;
import org.onyxrpc.transport.Transport;

/** Where the replies to calls from one connection or datagram go; hides TCP framing from UDP. */
interface ReplySink {
  /** A buffer for one reply, with room reserved for any framing the transport adds. */
  ByteBuf newReply();

  /** Frames and sends a reply made by {@link #newReply}; takes ownership of it. */
  void send(ByteBuf reply);

  /** Called once for every call handed to a procedure, after its reply (if any) is sent. */
  void callDone();

  /** The peer's address. */
  SocketAddress remoteAddress();

  /** The transport the calls arrive on. */
  Transport transport();
}
