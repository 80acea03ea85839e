package org.onyxrpc.directory.rpcbind;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.onyxrpc.internal.rpcbind.LocalAddresses;
import org.onyxrpc.internal.transport.AcceptFailures;
import org.onyxrpc.internal.transport.NettyTransports;
import org.onyxrpc.internal.transport.SystemErrors;
import org.onyxrpc.internal.transport.UnixSocketFile;
import org.onyxrpc.transport.UnixSocketAddress;

/**
 * The directory on rpcbind's local socket ({@code /run/rpcbind.sock}): where libtirpc's
 * {@code rpcb_set}, {@code pmap_set} and {@code rpcb_unset} go first, and the only place a C
 * server made by rpcgen registers (its fallback is another local socket, not TCP). Each local
 * connection is relayed to the directory's TCP port at the address it listens on (loopback when
 * it listens on every address), and the peer's uid,
 * which the kernel vouches for (SO_PEERCRED), becomes the owner of what it registers: as with
 * rpcbind, root's {@code rpcinfo -d} may remove any entry and a user only their own.
 *
 * <p>Linux only (Netty's native epoll). At most {@value RelaySlots#MAX_CONNECTIONS} local
 * connections at once, {@value RelaySlots#MAX_CONNECTIONS_PER_UID} of one uid, and an eighth of
 * them kept for root's ({@link RelaySlots}); more are closed on arrival. The socket is
 * made readable and writable by everyone, as rpcbind's is, and removed on close. Only a stale
 * socket file is replaced: a running rpcbind's socket is refused, not taken over.
 */
final class LocalSocketRelay implements AutoCloseable {
  /**
   * The uid behind each relayed connection, by both its ends: its whole source address (a port
   * alone could be borrowed from another loopback address, 127.0.0.2, by anyone) and the
   * directory it went to. Shared by every relay in the JVM, and Linux gives one ephemeral port to
   * connections to different destinations at once: keyed by the source only, another directory
   * in this process credited a TCP connection from that port to itself with the relayed uid.
   */
  private static final Map<Relayed, Integer> UIDS = new ConcurrentHashMap<>();

  /** A relayed connection's ends: where it came from, and the directory address it went to. */
  private record Relayed(InetSocketAddress source, InetSocketAddress directory) {}

  private final UnixSocketFile file;
  private final EventLoopGroup group;
  private final Channel server;
  private final Held held;

  private LocalSocketRelay(UnixSocketFile file, EventLoopGroup group, Channel server, Held held) {
    this.file = file;
    this.group = group;
    this.server = server;
    this.held = held;
  }

  /**
   * Listens on {@code path} and relays to {@code target}. Only a stale socket file (its server
   * died) is replaced: a file that is not a socket, or a socket a running server (rpcbind) listens
   * on, is refused and left as it is.
   */
  static LocalSocketRelay start(Path path, InetSocketAddress target) throws IOException {
    if (!NettyTransports.epoll()) {
      throw new IOException("a local socket needs Linux and Netty's native epoll transport");
    }
    UnixSocketFile file = prepare(path);
    EventLoopGroup group = NettyTransports.newEventLoopGroup(1, "onyx-directory-local");
    // This relay's own counts: a connection cut by the group's shutdown may never be counted out.
    Held held = new Held();
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(group)
        .channel(EpollServerDomainSocketChannel.class)
        .handler(new Listening())
        .childOption(ChannelOption.AUTO_READ, false)
        // A peer may shut its side once its calls are sent: it still gets their replies.
        .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .childHandler(new ChannelInitializer<EpollDomainSocketChannel>() {
          @Override
          protected void initChannel(EpollDomainSocketChannel local) {
            local.pipeline().addLast(new Inbound(target, held));
          }
        });
    var bound = bootstrap.bind(NettyTransports.domainSocketAddress(file.bindAddress())).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new IOException("cannot listen on " + path + ": " + SystemErrors.words(bound.cause()), bound.cause());
    }
    try {
      file.bound();
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw-rw-"));
    } catch (IOException | RuntimeException e) {
      // Nobody will own a relay that failed to start: its socket and thread go with the failure.
      bound.channel().close().awaitUninterruptibly();
      file.remove();
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
    return new LocalSocketRelay(file, group, bound.channel(), held);
  }

  /** Makes way at {@code path}, saying what to do when rpcbind, most likely, holds it. */
  private static UnixSocketFile prepare(Path path) throws IOException {
    try {
      return UnixSocketFile.prepare(UnixSocketAddress.of(path));
    } catch (IOException e) {
      if (e.getMessage().endsWith("a running server listens on it")) {
        throw new IOException(e.getMessage() + " (rpcbind? stop it first: systemctl stop rpcbind.socket rpcbind)", e);
      }
      throw e;
    }
  }

  /**
   * The uid behind a call relayed from the local socket to {@code directory} (the address a
   * relay was started with), or -1 if it did not come that way.
   */
  static int uidOf(SocketAddress remote, InetSocketAddress directory) {
    if (remote instanceof InetSocketAddress inet && LocalAddresses.isLocal(inet)) {
      Integer uid = UIDS.get(new Relayed(inet, directory));
      return uid == null ? -1 : uid;
    }
    return -1;
  }

  /** How many relayed source addresses are known to have an owner, across relays (for tests). */
  static int ownedSources() {
    return UIDS.size();
  }

  @Override
  public void close() {
    server.close().awaitUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    // The shutdown cuts connections whose close listeners then never run: their sources would
    // stay credited with a uid, and a TCP caller given the same loopback port would speak as it.
    held.owners.forEach(UIDS::remove);
    file.remove(); // unless another server (rpcbind started meanwhile) has put its own there
  }

  /**
   * The listening socket's handler: a failed accept(2) (EMFILE at the descriptor limit) is one
   * rate-limited WARN line and a second's pause, where Netty's pipeline end logged a WARN and a
   * stack trace each second of a flood. Made at start, so that its classes are loaded while
   * descriptors are left.
   */
  private static final class Listening extends ChannelInboundHandlerAdapter {
    private final AcceptFailures failures = new AcceptFailures();

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      failures.failed(ctx, cause);
    }
  }

  /** The local connections one relay holds, in all and by uid. */
  private static final class Held {
    final RelaySlots slots = new RelaySlots();
    /** The entries this relay put in {@link #UIDS}, and has not taken out yet. */
    final Map<Relayed, Integer> owners = new ConcurrentHashMap<>();
  }

  /**
   * One local connection: connects to the directory, then copies bytes both ways. A peer that
   * shuts its side (or closes) is read to its end at once, however reading is paced, so what it
   * sent may come before the directory's connection is up: it is held until then (no more than
   * the socket's buffer held, as the peer can send nothing after).
   */
  private static final class Inbound extends ChannelInboundHandlerAdapter {
    private final InetSocketAddress target;
    private final Held held;
    private Channel outbound;
    private Integer heldBy; // the uid this connection is counted against, once it is
    private final List<Object> early = new ArrayList<>(); // read before outbound was connected
    private boolean inputShut; // the peer shut its side

    Inbound(InetSocketAddress target, Held held) {
      this.target = target;
      this.held = held;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      Channel local = ctx.channel();
      int uid = ((EpollDomainSocketChannel) local).peerCredentials().uid();
      if (!held.slots.take(uid)) {
        local.close();
        return;
      }
      heldBy = uid;
      Bootstrap b = new Bootstrap().group(local.eventLoop())
          .channel(NettyTransports.socketChannel())
          .option(ChannelOption.AUTO_READ, false)
          .handler(new Outbound(local));
      b.connect(target).addListener((ChannelFutureListener) f -> {
        if (!f.isSuccess()) {
          local.close();
          return;
        }
        outbound = f.channel();
        Relayed source = new Relayed((InetSocketAddress) outbound.localAddress(), target);
        UIDS.put(source, uid); // before any byte flows, so the first call already has its owner
        held.owners.put(source, uid);
        outbound.closeFuture().addListener(c -> {
          UIDS.remove(source, uid);
          held.owners.remove(source, uid);
        });
        early.forEach(outbound::write);
        early.clear();
        outbound.flush();
        if (inputShut) {
          shutOutbound();
        }
        outbound.read();
        readMore(local);
      });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (outbound == null) {
        early.add(msg);
      } else {
        relay(ctx, msg, outbound);
      }
    }

    /**
     * The peer shut its side: so does the relay towards the directory, after what it relayed
     * before. The directory answers the calls it has and closes, which closes this connection.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof ChannelInputShutdownEvent && !inputShut) {
        inputShut = true;
        if (outbound != null) {
          shutOutbound();
        }
      }
      ctx.fireUserEventTriggered(event);
    }

    private void shutOutbound() {
      outbound.writeAndFlush(Unpooled.EMPTY_BUFFER)
          .addListener(f -> ((DuplexChannel) outbound).shutdownOutput());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      early.forEach(ReferenceCountUtil::release);
      early.clear();
      if (heldBy != null) {
        held.slots.release(heldBy);
      }
      if (outbound != null) {
        outbound.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /** Passes one read on, and reads the next only once it is written: the slow side sets the pace. */
  private static void relay(ChannelHandlerContext ctx, Object msg, Channel to) {
    to.writeAndFlush(msg).addListener((ChannelFutureListener) f -> {
      if (f.isSuccess()) {
        readMore(ctx.channel());
      } else {
        f.channel().close();
      }
    });
  }

  /** Asks for the next read, unless the peer has shut its side (epoll refuses to wait for it then). */
  private static void readMore(Channel from) {
    if (!(from instanceof DuplexChannel duplex && duplex.isInputShutdown())) {
      from.read();
    }
  }

  /** The directory's side of one relayed connection. */
  private static final class Outbound extends ChannelInboundHandlerAdapter {
    private final Channel local;

    Outbound(Channel local) {
      this.local = local;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      relay(ctx, msg, local);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      local.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
