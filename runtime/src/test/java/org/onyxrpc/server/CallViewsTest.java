package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrLimits;
import org.onyxrpc.xdr.XdrReader;

/**
 * A connection's calls share one reader and one {@link Peer} while they are read one after
 * another, and never one that is in use, made for other limits, or out of date after STARTTLS.
 */
class CallViewsTest {
  private static final XdrLimits USUAL = XdrLimits.DEFAULT;

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

  private static ByteBuf message(int... words) {
    ByteBuf buf = Unpooled.buffer();
    for (int word : words) {
      buf.writeInt(word);
    }
    return buf;
  }

  @Test
  void theNextCallIsReadWithTheSameReaderStartedOver() {
    CallViews views = new CallViews();
    XdrReader first = views.reader(message(1, 1, 0x61000000), USUAL);
    assertEquals(1, first.readInt());
    assertEquals("a", first.readString(16));
    assertTrue(first.decodedBytes() > 0);
    views.readerDone(first, USUAL); // what it decoded does not count against the next call
    XdrReader second = views.reader(message(3), USUAL);
    assertSame(first, second);
    assertEquals(0, second.decodedBytes());
    assertEquals(3, second.readInt());
  }

  @Test
  void aReaderInUseOrMadeForOtherLimitsIsNotShared() {
    CallViews views = new CallViews();
    views.readerDone(views.reader(message(1), USUAL), USUAL);
    XdrReader outer = views.reader(message(1), USUAL);
    // A call started while another is read (a waiting record, as the other ends) gets its own.
    XdrReader inner = views.reader(message(2), USUAL);
    assertNotSame(outer, inner);
    assertEquals(1, outer.readInt());
    assertEquals(2, inner.readInt());
    views.readerDone(inner, USUAL);
    views.readerDone(outer, USUAL);

    XdrLimits crowded = new XdrLimits(USUAL.maxDepth(), 1024);
    XdrReader narrow = views.reader(message(1), crowded);
    assertSame(crowded, narrow.limits());
    views.readerDone(narrow, USUAL); // not kept: the next call may have the usual room
    assertSame(USUAL, views.reader(message(1), USUAL).limits());
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
