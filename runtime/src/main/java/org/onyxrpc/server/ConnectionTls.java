package org.onyxrpc.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.internal.transport.RecordDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection's upgrade to TLS when its client asks with the AUTH_TLS probe (RFC 9289),
 * and what the handshake proved of the client. The handshake takes one of its client address's
 * {@link HandshakeSlots}, waiting (not read meanwhile) while they are all taken. Touched on the
 * connection's event loop, but for the certificates, which procedures read.
 */
final class ConnectionTls {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionTls.class);
  /** Netty's own handshake timeout, the most a handshake is given. */
  private static final long MAX_HANDSHAKE_MILLIS = 10_000;

  private final ServerTls tls;
  private final RecordDecoder decoder;
  private final long handshakeMillis;
  private final HandshakeSlots slots;
  private final Object client; // the ClientAddress slots are counted by; null: not counted
  private final ReceiveGuard guard;
  private boolean answered; // the probe was answered: nothing more is read in plaintext
  private Runnable waitingForSlot; // in the slots' line; null once granted, or never in line
  private boolean holdsSlot;
  private SslHandler sslHandler; // set once the handshake may begin
  private volatile List<X509Certificate> peerCertificates = List.of();
  private volatile int identity = CallerIdentity.TLS_WITHOUT_CERTIFICATE;

  /**
   * A handshake is a few records, so it gets no longer than a record may take ({@code
   * recordTimeout}), and at most Netty's 10 s: a peer that asks for TLS and then says nothing,
   * or stops halfway, is disconnected then.
   */
  ConnectionTls(ServerTls tls, RecordDecoder decoder, Duration recordTimeout, HandshakeSlots slots,
      Object client, ReceiveGuard guard) {
    this.guard = guard;
    this.tls = tls;
    this.decoder = decoder;
    this.handshakeMillis = Math.max(1, Math.min(MAX_HANDSHAKE_MILLIS, recordTimeout.toMillis()));
    this.slots = slots;
    this.client = client;
  }

  /** True once the probe was answered: the connection goes on in TLS. */
  boolean started() {
    return answered;
  }

  /** True while TLS is started but its handshake is not done: nothing may be read as a call. */
  boolean handshaking() {
    return answered && (sslHandler == null || !sslHandler.handshakeFuture().isDone());
  }

  /** True while the handshake waits for a slot of its address: the connection is not read. */
  boolean waitingForSlot() {
    return answered && sslHandler == null;
  }

  /**
   * Sends TLS's close_notify behind what was written, leaving the connection open (the caller
   * shuts it); done once it is written. Only once the handshake is done.
   */
  ChannelFuture closeOutbound() {
    return sslHandler.closeOutbound();
  }

  List<X509Certificate> peerCertificates() {
    return peerCertificates;
  }

  /** {@link CallerIdentity#tls} of {@link #peerCertificates}, computed once the handshake is done. */
  int identity() {
    return identity;
  }

  /**
   * Flushes the STARTTLS reply in plaintext, then puts TLS in front of everything else, as soon
   * as a handshake slot of the client's address is free. RFC 9289 has the client wait for that
   * reply before its handshake, so bytes already read behind the probe are a client that did not
   * wait: they cannot be trusted as TLS nor as calls, and the connection is closed (false). Until
   * the slot is its, the connection must not be read ({@link #waitingForSlot}); {@code
   * resumeReading} runs on the event loop when TLS is in front.
   */
  boolean start(Channel channel, RateLimitedLog log, Runnable resumeReading) {
    if (closedForBytesBehindProbe(channel, log)) {
      return false;
    }
    channel.flush();
    answered = true;
    if (client == null) {
      handshake(channel);
      return true;
    }
    Runnable granted = () -> {
      try {
        channel.eventLoop().execute(() -> granted(channel, resumeReading));
      } catch (RejectedExecutionException e) { // the server is gone: the slot goes on
        slots.release(client);
      }
    };
    if (slots.acquire(client, granted)) {
      holdsSlot = true;
      handshake(channel);
      return true;
    }
    waitingForSlot = granted;
    LOG.debug("TLS handshake of {} waits for one of its address's {} to end",
        channel.remoteAddress(), tls.maxHandshakesPerAddress());
    channel.closeFuture().addListener(closed -> gone());
    return true;
  }

  /**
   * True (the connection closed) if bytes were read behind the probe, before its reply: RFC 9289
   * has the client wait for that reply, so they are neither TLS nor calls to trust.
   */
  boolean closedForBytesBehindProbe(Channel channel, RateLimitedLog log) {
    if (decoder.bufferedBytes() == 0) {
      return false;
    }
    log.warn(LOG, "closing {}: it sent {} bytes after the AUTH_TLS probe before the reply",
        channel.remoteAddress(), decoder.bufferedBytes());
    channel.close();
    return true;
  }

  /** On the event loop: the slot is this connection's, if it is still there to use it. */
  private void granted(Channel channel, Runnable resumeReading) {
    waitingForSlot = null;
    if (!channel.isActive()) {
      slots.release(client);
      return;
    }
    holdsSlot = true;
    handshake(channel);
    resumeReading.run();
  }

  /** On the event loop: the connection closed; out of line if it still waited there. */
  private void gone() {
    Runnable inLine = waitingForSlot;
    if (inLine != null && slots.cancel(client, inLine)) {
      waitingForSlot = null;
    } // else its grant is on its way to this event loop, which finds the channel closed
  }

  private void handshake(Channel channel) {
    SslHandler handler = tls.newHandler(channel.alloc());
    handler.setHandshakeTimeoutMillis(handshakeMillis);
    sslHandler = handler;
    handler.handshakeFuture().addListener(done -> {
      if (holdsSlot) { // done, failed, timed out or closed: the next of its address may begin
        holdsSlot = false;
        slots.release(client);
      }
      if (done.isSuccess()) {
        List<X509Certificate> chain = verifiedChain(handler);
        identity = CallerIdentity.tls(chain);
        peerCertificates = chain;
      } else {
        RateLimitedLog.debugOneLine(LOG, "TLS handshake with {} failed: {}", channel.remoteAddress(),
            TlsHandshakeWords.complaint(done.cause()));
      }
    });
    channel.pipeline().addFirst("tls", handler);
    channel.pipeline().addFirst("tls-reads", new TlsReadHold());
    channel.pipeline().addFirst("tls-records", new TlsRecordWatch(guard,
        () -> handler.handshakeFuture().isSuccess()));
  }

  private static List<X509Certificate> verifiedChain(SslHandler handler) {
    Certificate[] chain;
    try {
      chain = handler.engine().getSession().getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return List.of(); // no client certificate asked for, or none given where optional
    }
    List<X509Certificate> x509 = new ArrayList<>(chain.length);
    for (Certificate c : chain) {
      if (c instanceof X509Certificate x) {
        x509.add(x);
      }
    }
    return List.copyOf(x509);
  }
}
