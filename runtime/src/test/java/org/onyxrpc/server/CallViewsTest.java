package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.onyxrpc.transport.Transport;

/** A connection's calls share one {@link Peer}, never one out of date after STARTTLS. */
class CallViewsTest {
  /** A connection's side of its calls, as far as a peer is made from it. */
  private static final class Sink implements ReplySink {
    boolean tls;
    List<X509Certificate> certificates = List.of();

    @Override
    public ByteBuf newReply() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void send(ByteBuf reply) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void callDone() {}

    @Override
    public SocketAddress remoteAddress() {
      return new InetSocketAddress("127.0.0.1", 7);
    }

    @Override
    public Transport transport() {
      return Transport.TCP;
    }

    @Override
    public boolean tls() {
      return tls;
    }

    @Override
    public List<X509Certificate> peerCertificates() {
      return certificates;
    }
  }

  @Test
  void aConnectionsPeerIsMadeOnceAndAgainWhenTlsStarts() {
    CallViews views = new CallViews();
    Sink sink = new Sink();
    Peer plain = views.peer(sink);
    assertSame(plain, views.peer(sink));
    sink.tls = true; // STARTTLS: its calls come inside TLS from here
    Peer inside = views.peer(sink);
    assertTrue(inside.tls());
    assertSame(inside, views.peer(sink));
    // Another chain than the one the peer was made with (an empty one of another kind stands
    // for a chain verified later): a new peer.
    sink.certificates = java.util.Collections.emptyList();
    assertNotSame(inside, views.peer(sink));
  }
}
