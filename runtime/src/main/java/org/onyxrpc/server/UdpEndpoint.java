package org.onyxrpc.server;

import io.netty.buffer.ByteBuf;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.internal.transport.ClientAddress;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's UDP port: one call per datagram, one reply datagram back to its sender
 * (RFC 5531 §10), through the socket the call came in on. A port has one socket, or
 * several on a wildcard address ({@link UdpSockets}); they share these limits and counters.
 * Datagrams over the maximum size, or beyond the calls the server will hold in flight for UDP,
 * are dropped and counted: a UDP client retransmits.
 *
 * <p>Senders are counted by their {@code ClientAddress} (any port: a host can send from as many
 * as it likes): the calls of one address take at most half of UDP's calls in flight, and wait in
 * that address's own lane of the {@link FairScheduler}, as a TCP connection's do. A host that
 * floods valid calls, slow ones or fast ones, delays its own calls, not other hosts'. An
 * address's entry outlives its last call in flight among the {@value #IDLE_SENDERS_KEPT} last
 * idle ones ({@link IdleSenders}), so that a client calling one at a time does not make and drop
 * it every call.
 *
 * <p>How a socket waits for datagrams is its own ({@link UdpSocket} on an event loop, {@link
 * BlockingUdpSocket} on a thread of its own); what it receives is judged and run here.
 */
final class UdpEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger(UdpEndpoint.class);
  /** Client addresses with no call in flight whose entries are kept, the oldest dropped first. */
  static final int IDLE_SENDERS_KEPT = 64;
  /** The most of a datagram that rpcgen's C clients read (libtirpc's clntudp_create: UDPMSGSIZE). */
  static final int RPCGEN_DATAGRAM_BYTES = 8800;

  final CallProcessor processor;
  final ServerState state;
  final int maxDatagramBytes;
  final int maxConcurrentCalls;
  final AtomicInteger inFlight = new AtomicInteger();
  /** Whether an IPv4 datagram's recipient is its destination, never a wildcard. */
  final boolean ipv4DestinationsReported;
  private final int maxCallsPerAddress;
  private final Map<Object, Sender> senders = new ConcurrentHashMap<>();
  private final Function<Object, Sender> newSender = Sender::new; // one, not one per call
  private final IdleSenders idle = new IdleSenders(IDLE_SENDERS_KEPT);
  final RateLimitedLog oversized = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL);
  /** The WARN line of a reply over {@link #maxDatagramBytes}. */
  private final String oversizedLine;
  final RateLimitedLog socketErrors = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL);
  /** Replies dropped for a full send buffer: their own interval, not the socket errors'. */
  final RateLimitedLog unsentReplies = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL);
  final LongAdder dropped = new LongAdder();
  /** Replies a procedure's thread sent straight to the socket (for tests). */
  final LongAdder sentDirectly = new LongAdder();

  /**
   * With {@code ipv4DestinationsReported} true if the sockets give each IPv4 datagram its own
   * destination as its recipient (see {@code NettyTransports.reportIpv4Destinations}).
   */
  UdpEndpoint(CallProcessor processor, ServerState state, int maxDatagramBytes, int maxConcurrentCalls,
      boolean ipv4DestinationsReported) {
    this.ipv4DestinationsReported = ipv4DestinationsReported;
    this.processor = processor;
    this.state = state;
    this.maxDatagramBytes = maxDatagramBytes;
    this.oversizedLine = oversizedLine(maxDatagramBytes);
    this.maxConcurrentCalls = maxConcurrentCalls;
    this.maxCallsPerAddress = Math.max(1, maxConcurrentCalls / 2);
  }

  /** The handler of one more socket of this port, on an event loop. */
  UdpSocket newSocket() {
    return new UdpSocket(this);
  }

  /** One socket's way to reply: a buffer for a reply, and sending it from that socket. */
  interface Replies {
    ByteBuf newReply();

    /** As {@link ReplySink#replyWriter}: a new gathering writer unless the socket keeps one. */
    default XdrWriter replyWriter(ByteBuf reply) {
      return XdrWriter.gathering(reply);
    }

    /** As {@link ReplySink#replyWriterDone}. */
    default void replyWriterDone(XdrWriter done) {}

    /** Sends {@code reply} to {@code to} and releases it. */
    void send(ByteBuf reply, InetSocketAddress to);
  }

  /**
   * Runs the call datagram {@code content} that {@code sender} sent to {@code recipient}, or drops
   * it (counted, logged at DEBUG); takes it either way.
   *
   * @param recipient the datagram's destination if reported, else the receiving socket's address
   */
  void receive(ByteBuf content, InetSocketAddress sender, InetSocketAddress recipient,
      Replies replies) {
    receive(content, sender, recipient, replies, new LastReply());
  }

  /**
   * {@link #receive(ByteBuf, InetSocketAddress, InetSocketAddress, Replies)} by a socket that
   * keeps its {@code last} reply path, reused for the next datagram of the same sender.
   */
  void receive(ByteBuf content, InetSocketAddress sender, InetSocketAddress recipient,
      Replies replies, LastReply last) {
    String refused = refusal(content, sender, recipient);
    if (refused != null) {
      drop(content, sender, recipient, refused);
      return;
    }
    Object address = ClientAddress.of(sender);
    Sender counted = address == null ? null : admit(address);
    if (counted == null) {
      drop(content, sender, recipient, "its address has " + maxCallsPerAddress + " calls in flight");
      return;
    }
    if (!state.callStarted()) {
      // Draining: refused PROG_UNAVAIL, where a dropped datagram was sent again until its
      // client gave up, not knowing whether it ran; no larger than the call (24 bytes).
      try {
        processor.refuseDraining(content, last.to(this, replies, sender, counted));
      } finally {
        done(counted);
      }
      return;
    }
    inFlight.incrementAndGet();
    boolean handedOver = false;
    try {
      handedOver = processor.process(content, last.to(this, replies, sender, counted), counted.lane);
    } finally {
      if (!handedOver) { // otherwise callDone() gives the slot back
        callEnded(counted);
      }
    }
  }

  private void callEnded(Sender counted) {
    // The address's share first: whoever sees no call in flight (a drain, a test) then sees
    // every address's bookkeeping done too.
    done(counted);
    inFlight.decrementAndGet();
    state.callFinished();
  }

  /** Why a datagram is not run before its address is looked at, or null to run it. */
  private String refusal(ByteBuf content, InetSocketAddress sender, InetSocketAddress recipient) {
    if (content.readableBytes() > maxDatagramBytes || inFlight.get() >= maxConcurrentCalls) {
      return "too large, or too many calls in flight";
    }
    if (sender.getPort() == 0) {
      // Only a raw socket sends from port 0 (a forged source, say), and no reply can reach it:
      // the kernel refuses to send there. Run, the call did its work for nobody, and the failed
      // reply was a WARN naming no peer that kept the socket's real errors out of the log for
      // its interval. DNS servers drop such queries too.
      return "no reply can reach port 0";
    }
    if (forgedMappedSource(sender, recipient, ipv4DestinationsReported)) {
      return "an IPv4-mapped source in an IPv6 datagram is forged";
    }
    return null;
  }

  private void drop(ByteBuf content, InetSocketAddress sender, InetSocketAddress recipient, String why) {
    dropped.increment();
    LOG.debug("dropping a datagram of {} bytes to {} from {}: {}", content.readableBytes(),
        recipient, sender, why);
    content.release();
  }

  /**
   * True if the datagram claims an IPv4 source (the JDK reports an IPv4-mapped IPv6 source,
   * {@code ::ffff:a.b.c.d}, as that IPv4 address) but came as IPv6: to a socket bound to an IPv6
   * address, which no IPv4 datagram reaches, or, when {@code ipv4DestinationsReported}, to the
   * wildcard socket with no IPv4 destination of its own. An IPv4-mapped source is one RFC 4291
   * §2.5.5.2 keeps off the wire and only a forger sends; Linux delivers it from another host all
   * the same, and claiming {@code ::ffff:127.0.0.1} it passed for a caller on this machine's
   * loopback (the directory took its SET, as only local callers' are). Without destinations (the
   * NIO transport) a wildcard socket's datagrams cannot be told apart, and are let through.
   */
  static boolean forgedMappedSource(InetSocketAddress sender, InetSocketAddress recipient,
      boolean ipv4DestinationsReported) {
    return recipient != null && recipient.getAddress() instanceof Inet6Address local
        && (ipv4DestinationsReported || !local.isAnyLocalAddress())
        && sender.getAddress() instanceof Inet4Address;
  }

  /**
   * The WARN of a reply over {@code maxDatagramBytes}; past rpcgen's datagram it also says that C
   * clients read no reply over 8800 bytes, which the server sends them without a word (it cannot
   * know its client's buffer): a user who raised the bound past it learns it from this line.
   */
  static String oversizedLine(int maxDatagramBytes) {
    String line = "reply of {} bytes to {} is over the maximum datagram of {}: sending SYSTEM_ERR";
    return maxDatagramBytes <= RPCGEN_DATAGRAM_BYTES ? line : line + "; rpcgen's C clients read no reply over "
        + RPCGEN_DATAGRAM_BYTES + " bytes (RPC: Can't decode result, though the call ran): maxDatagramBytes("
        + RPCGEN_DATAGRAM_BYTES + ") answers them SYSTEM_ERR in its place, or send large results over TCP";
  }

  /**
   * {@code reply}, or in its place a SYSTEM_ERR for its call if it is over the maximum datagram
   * (released then).
   */
  ByteBuf fitted(ByteBuf reply, InetSocketAddress to, Replies replies) {
    if (reply.readableBytes() <= maxDatagramBytes) {
      return reply;
    }
    oversized.warn(LOG, oversizedLine, reply.readableBytes(), to, maxDatagramBytes);
    int xid = reply.getInt(reply.readerIndex());
    reply.release();
    ByteBuf error = replies.newReply();
    RpcMessages.writeReply(new XdrWriter(error), ReplyHeader.accepted(xid, RpcStatus.SYSTEM_ERR));
    return error;
  }

  /**
   * One socket's last reply path, reused while datagrams keep coming from its sender: a {@link
   * Reply} holds nothing of one call's (its sender, its sender's entry, the socket), so the calls
   * of a client calling one at a time, and those of one in flight at once, may share it. Before,
   * one was made per datagram: 32 of the 216 bytes the dedicated thread allocated per call. The
   * JDK hands back the same sender address while the source stays the same, and an address's
   * entry stays while it is kept ({@link IdleSenders}); a forgotten entry's replacement is another
   * object, and gets a path of its own. Used by the socket's receiving thread alone.
   */
  static final class LastReply {
    private Reply reply;

    ReplySink to(UdpEndpoint endpoint, Replies replies, InetSocketAddress sender, Sender counted) {
      Reply last = reply;
      if (last != null && last.counted == counted && last.replies == replies
          && sameSource(last.sender, sender)) {
        return last;
      }
      return reply = endpoint.new Reply(replies, sender, counted);
    }

    /**
     * The same source: the same object (the JDK's), or an equal one of the same IPv6 scope
     * (Netty's, a new one per datagram; {@code equals} leaves a scope out, and a link-local
     * reply goes out of the interface its scope names).
     */
    private static boolean sameSource(InetSocketAddress kept, InetSocketAddress sender) {
      return kept == sender || kept.equals(sender) && scope(kept) == scope(sender);
    }

    private static int scope(InetSocketAddress address) {
      return address.getAddress() instanceof Inet6Address six ? six.getScopeId() : 0;
    }
  }

  /** The reply path to one datagram's sender. */
  private final class Reply implements ReplySink {
    private final Replies replies;
    private final InetSocketAddress sender;
    private final Sender counted;

    Reply(Replies replies, InetSocketAddress sender, Sender counted) {
      this.replies = replies;
      this.sender = sender;
      this.counted = counted;
    }

    @Override
    public ByteBuf newReply() {
      return replies.newReply();
    }

    @Override
    public XdrWriter replyWriter(ByteBuf reply) {
      return replies.replyWriter(reply);
    }

    @Override
    public void replyWriterDone(XdrWriter done) {
      replies.replyWriterDone(done);
    }

    @Override
    public void send(ByteBuf reply) {
      replies.send(fitted(reply, sender, replies), sender);
    }

    @Override
    public void callDone() {
      callEnded(counted);
    }

    @Override
    public Object client() {
      return counted.address;
    }

    @Override
    public SocketAddress remoteAddress() {
      return sender;
    }

    @Override
    public Transport transport() {
      return Transport.UDP;
    }
  }

  /**
   * The calls in flight from one client address, and the lane they run in; forgotten (its lane
   * closed) when pushed out of the idle ones kept with none in flight. Its fields are changed
   * under its own lock.
   */
  final class Sender {
    final Object address;
    final FairScheduler.Lane lane;
    int inFlight;
    /** Among the idle ones kept (or on its way in or out): listed once, however often idle. */
    boolean listedIdle;
    /** Out of the map: an admission that found it looks again. */
    boolean forgotten;

    Sender(Object address) {
      this.address = address;
      this.lane = processor.newLane(address);
    }
  }

  /** One more call from {@code address}, or null if it has its share in flight already. */
  Sender admit(Object address) {
    while (true) {
      // Found without a lock when kept (the map's lookup of a bin's first entry takes none).
      Sender sender = senders.computeIfAbsent(address, newSender);
      synchronized (sender) {
        if (sender.forgotten) {
          continue; // dropped between the lookup and here: make it again
        }
        if (sender.inFlight >= maxCallsPerAddress) {
          return null;
        }
        sender.inFlight++;
        return sender;
      }
    }
  }

  /** The share of UDP's calls in flight that one client address may hold. */
  int maxCallsPerAddress() {
    return maxCallsPerAddress;
  }

  /**
   * A call of {@code sender}'s is done. Its last one in flight lists it among the idle ones kept
   * (once: a client calling one at a time is listed at its first call, and stays), which may
   * push the oldest of those out.
   */
  void done(Sender sender) {
    synchronized (sender) {
      if (--sender.inFlight > 0 || sender.listedIdle) {
        return;
      }
      sender.listedIdle = true;
    }
    Sender out = idle.add(sender);
    if (out != null) {
      forgetIfIdle(out);
    }
  }

  /** Drops {@code sender}, pushed out of the idle ones kept, unless it has calls again. */
  private void forgetIfIdle(Sender sender) {
    synchronized (sender) {
      sender.listedIdle = false;
      if (sender.inFlight > 0) {
        return; // listed again when its calls end
      }
      sender.forgotten = true;
    }
    senders.remove(sender.address, sender);
    if (sender.lane != null) {
      sender.lane.close();
    }
  }

  /** Client addresses whose entries are kept, with calls in flight or idle (for tests). */
  int senders() {
    return senders.size();
  }

  /** Client addresses with UDP calls in flight (for tests). */
  int sendersWithCallsInFlight() {
    int busy = 0;
    for (Sender sender : senders.values()) {
      synchronized (sender) {
        busy += sender.inFlight > 0 ? 1 : 0;
      }
    }
    return busy;
  }

  /** Whether the entry of {@code address} is kept (for tests). */
  boolean keeps(Object address) {
    return senders.containsKey(address);
  }

  /** Idle client addresses kept (for tests). */
  int idleSendersKept() {
    return idle.size();
  }

  /** UDP calls in flight from one client address (for tests). */
  int callsInFlight(Object address) {
    Sender sender = senders.get(address);
    if (sender == null) {
      return 0;
    }
    synchronized (sender) { // read where it is changed
      return sender.inFlight;
    }
  }
}
