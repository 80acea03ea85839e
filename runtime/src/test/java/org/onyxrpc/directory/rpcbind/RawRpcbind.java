package org.onyxrpc.directory.rpcbind;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.transport.Transport;

/**
 * Raw calls to whatever answers on port 111 of 127.0.0.1, written and read byte by byte so that
 * the same bytes go to rpcbind and to the Onyx directory, and their replies are decoded by the
 * same hand (no Onyx codec, whose bounds would hide what rpcbind sends).
 */
final class RawRpcbind {
  private static final InetSocketAddress PORT_111 =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), Portmap.PORT);
  private static final int GIVE_UP_MILLIS = 5000;
  /*
   * How long a reply may trail the ping's: the Onyx directory answers a connection's or a UDP
   * peer's calls on several threads, in any order; an indirect call waits for the program it
   * calls. A wait for silence, because silence is what some cases assert ("silent" in
   * RpcbindDifferentialTest) and nothing signals it: rpcbind, the other side compared, reports
   * no event for a call it dropped, and an event of the Onyx directory's alone would compare
   * unlike waits. So these are not timeouts to shorten: a shorter one would turn a late reply
   * into "silent", hiding a reply the other side does not send. Each wait is paid only by the
   * calls left unanswered; the others return with their reply.
   */
  private static final long GRACE_MILLIS = 100;
  private static final long FORWARD_GRACE_MILLIS = 300;

  private RawRpcbind() {}

  /** XDR written into a growing array. */
  static final class Out {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    Out u32(long v) {
      bytes.writeBytes(ByteBuffer.allocate(4).putInt((int) v).array());
      return this;
    }

    Out string(String s) {
      return opaque(s.getBytes(StandardCharsets.UTF_8));
    }

    Out opaque(byte[] b) {
      u32(b.length);
      bytes.writeBytes(b);
      bytes.writeBytes(new byte[(4 - b.length % 4) % 4]);
      return this;
    }

    Out raw(byte[] b) {
      bytes.writeBytes(b);
      return this;
    }

    byte[] bytes() {
      return bytes.toByteArray();
    }
  }

  /** XDR read from a reply's body; a short body throws {@link IndexOutOfBoundsException}. */
  static final class In {
    private final ByteBuffer buf;

    In(byte[] bytes) {
      buf = ByteBuffer.wrap(bytes);
    }

    long u32() {
      return buf.getInt() & 0xFFFFFFFFL;
    }

    byte[] opaque() {
      int n = buf.getInt();
      byte[] b = new byte[n];
      buf.get(b);
      buf.position(buf.position() + (4 - n % 4) % 4);
      return b;
    }

    String string() {
      return new String(opaque(), StandardCharsets.UTF_8);
    }

    boolean atEnd() {
      return !buf.hasRemaining();
    }

    /** An XDR linked list (a bool before each item and after the last), each item by {@code item}. */
    <T> List<T> list(Function<In, T> item) {
      List<T> items = new ArrayList<>();
      while (u32() != 0) {
        items.add(item.apply(this));
      }
      return items;
    }
  }

  /** AUTH_NONE, as a credential or verifier. */
  static final byte[] NONE = new Out().u32(0).u32(0).bytes();

  /** AUTH_SYS claiming {@code uid}. */
  static byte[] authSys(int uid) {
    byte[] body = new Out().u32(0).string("peer").u32(uid).u32(uid).u32(0).bytes();
    return new Out().u32(1).opaque(body).bytes();
  }

  /** A call message: RPC version {@code rpcVersion} (2 but in a test of RPC_MISMATCH). */
  static byte[] call(int xid, int rpcVersion, int program, int version, int procedure, byte[] credential,
      byte[] args) {
    return new Out().u32(xid).u32(0).u32(rpcVersion).u32(program).u32(version).u32(procedure)
        .raw(credential).raw(NONE).raw(args).bytes();
  }

  /**
   * A reply as a C client sees it: {@code outcome} is "silent" (no reply while a later call on the
   * same socket was answered), "closed" (TCP connection closed), an accept status (SUCCESS,
   * PROG_MISMATCH low..high, ...) or "DENIED ..."; {@code body} the results after SUCCESS.
   */
  record Reply(String outcome, byte[] body) {
    static final Reply SILENT = new Reply("silent", new byte[0]);
    static final Reply CLOSED = new Reply("closed", new byte[0]);

    boolean success() {
      return outcome.equals("SUCCESS");
    }
  }

  /**
   * Sends {@code call} (whose xid is {@code xid}) then a portmap NULL ping with xid {@code
   * xid + 1} on the same socket, and returns the call's reply. The ping's answer says the call
   * was read: its reply, if any, follows within a grace period, longer for a call that may wait
   * for a forwarded answer ({@code forwards}).
   */
  static Reply exchange(Transport transport, int xid, byte[] call, boolean forwards) throws IOException {
    byte[] ping = call(xid + 1, 2, Portmap.PROGRAM, 2, 0, NONE, new byte[0]);
    return transport == Transport.UDP ? overUdp(xid, call, ping, forwards) : overTcp(xid, call, ping, forwards);
  }

  private static Reply overUdp(int xid, byte[] call, byte[] ping, boolean forwards) throws IOException {
    // Not connected: rpcbind answers an indirect call from the socket it forwarded it with, as
    // libtirpc's unconnected clients accept.
    try (DatagramSocket s = new DatagramSocket()) {
      s.send(new DatagramPacket(call, call.length, PORT_111));
      s.send(new DatagramPacket(ping, ping.length, PORT_111));
      long giveUp = System.nanoTime() + GIVE_UP_MILLIS * 1_000_000L;
      byte[] buf = new byte[65536];
      while (true) {
        long left = (giveUp - System.nanoTime()) / 1_000_000L;
        if (left <= 0) {
          return Reply.SILENT;
        }
        s.setSoTimeout((int) left);
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
          s.receive(p);
        } catch (SocketTimeoutException e) {
          return Reply.SILENT;
        }
        byte[] msg = Arrays.copyOf(buf, p.getLength());
        int got = ByteBuffer.wrap(msg).getInt();
        if (got == xid) {
          return decode(msg);
        }
        if (got == xid + 1) {
          giveUp = Math.min(giveUp, System.nanoTime() + (forwards ? FORWARD_GRACE_MILLIS : GRACE_MILLIS) * 1_000_000L);
        }
      }
    }
  }

  private static Reply overTcp(int xid, byte[] call, byte[] ping, boolean forwards) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(PORT_111, GIVE_UP_MILLIS);
      byte[] both = new Out().u32(0x80000000L | call.length).raw(call)
          .u32(0x80000000L | ping.length).raw(ping).bytes();
      s.getOutputStream().write(both);
      DataInputStream in = new DataInputStream(s.getInputStream());
      long giveUp = System.nanoTime() + GIVE_UP_MILLIS * 1_000_000L;
      while (true) {
        long left = (giveUp - System.nanoTime()) / 1_000_000L;
        if (left <= 0) {
          return Reply.SILENT;
        }
        s.setSoTimeout((int) left);
        byte[] msg;
        try {
          msg = record(in);
        } catch (SocketTimeoutException e) {
          return Reply.SILENT;
        } catch (EOFException | SocketException e) { // closed, or reset with our ping unread
          return Reply.CLOSED;
        }
        int got = ByteBuffer.wrap(msg).getInt();
        if (got == xid) {
          return decode(msg);
        }
        if (got == xid + 1) {
          giveUp = Math.min(giveUp, System.nanoTime() + (forwards ? FORWARD_GRACE_MILLIS : GRACE_MILLIS) * 1_000_000L);
        }
      }
    }
  }

  /** One record (RFC 5531 §11), its fragments joined. */
  private static byte[] record(DataInputStream in) throws IOException {
    ByteArrayOutputStream whole = new ByteArrayOutputStream();
    while (true) {
      int header = in.readInt();
      byte[] fragment = new byte[header & 0x7FFFFFFF];
      in.readFully(fragment);
      whole.writeBytes(fragment);
      if (header < 0) {
        return whole.toByteArray();
      }
    }
  }

  private static final String[] ACCEPT = {
      "SUCCESS", "PROG_UNAVAIL", "PROG_MISMATCH", "PROC_UNAVAIL", "GARBAGE_ARGS", "SYSTEM_ERR"};

  /** A reply message (RFC 5531 §9) as its outcome and, after SUCCESS, its results. */
  static Reply decode(byte[] msg) {
    In in = new In(msg);
    in.u32(); // xid
    if (in.u32() != 1) {
      return new Reply("not a reply", msg);
    }
    if (in.u32() == 1) { // MSG_DENIED
      long why = in.u32();
      return new Reply(why == 0 ? "DENIED RPC_MISMATCH " + in.u32() + ".." + in.u32()
          : "DENIED AUTH_ERROR " + in.u32(), new byte[0]);
    }
    in.u32(); // verifier flavour
    in.opaque(); // verifier body
    long status = in.u32();
    if (status == 2) {
      return new Reply("PROG_MISMATCH " + in.u32() + ".." + in.u32(), new byte[0]);
    }
    String name = status < ACCEPT.length ? ACCEPT[(int) status] : "accept status " + status;
    byte[] body = status == 0 ? Arrays.copyOfRange(msg, msg.length - in.buf.remaining(), msg.length)
        : new byte[0];
    return new Reply(name, body);
  }
}
