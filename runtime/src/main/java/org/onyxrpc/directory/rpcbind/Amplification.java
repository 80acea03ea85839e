package org.onyxrpc.directory.rpcbind;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.function.Predicate;
import org.onyxrpc.internal.rpcbind.LocalAddresses;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.CallContext;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.Xdr;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrWriter;

/**
 * Keeps the directory from being a UDP amplifier. A UDP call's source address can be forged, so
 * a small DUMP sent "from" a victim could make the directory flood the victim with a large list.
 * The rule: over UDP, a reply to a sender that is not on this machine's loopback is never larger
 * than the call that asked for it; a list that would be is cut to the entries that fit, and one
 * that would be cut to none is refused SYSTEM_ERR ({@link #trimOrRefuse}) or, for GETADDRLIST,
 * keeps one entry ({@link #trimKeepingOne}): an empty list says that nothing is registered. A
 * remote DUMP over UDP is therefore usually refused: use TCP, as {@code rpcinfo -p} does.
 * Loopback sources cannot be forged from another machine, and TCP's handshake proves the source,
 * so both get everything.
 */
final class Amplification {
  /** RFC 5531: the fixed part of a call before the credential (xid .. procedure + 2 flavors). */
  private static final int CALL_FIXED_BYTES = 40;
  /** RFC 5531: xid, REPLY, MSG_ACCEPTED, verifier flavor and length, SUCCESS. */
  private static final int REPLY_HEADER_BYTES = 24;

  private Amplification() {}

  /** True if a reply to this call may be of any size. */
  static boolean unbounded(CallContext context) {
    return context.transport() != Transport.UDP || LocalAddresses.isLoopback(context.remoteAddress());
  }

  /**
   * The bytes a reply body may take: no more than the smallest call that could carry this
   * credential and {@code argumentBytes} of arguments, less the reply's own header.
   */
  static int budget(CallContext context, int argumentBytes) {
    if (unbounded(context)) {
      return Integer.MAX_VALUE;
    }
    int credential = Xdr.padded(context.credentials().toOpaqueAuth().body().length);
    return Math.max(0, CALL_FIXED_BYTES + credential + argumentBytes - REPLY_HEADER_BYTES);
  }

  /**
   * At most how many items a list in reply to this call can carry ({@link Integer#MAX_VALUE} if
   * any number): every XDR item takes 4 bytes or more. A service builds no more than that of a
   * large table for a small datagram, which {@link #trim} would cut to a handful anyway.
   */
  static int most(CallContext context) {
    int budget = budget(context, 0);
    return budget == Integer.MAX_VALUE ? Integer.MAX_VALUE : budget / 4;
  }

  /**
   * The longest prefix of {@code items} whose XDR list, as {@code codec} writes it, fits. Grown
   * from nothing, so that what is encoded is a few times the budget (a few hundred bytes), not
   * the whole list: halving down from a list of 4,096 entries encoded twice all of it, 500 KB, for
   * each datagram of 40 bytes.
   */
  static <T> List<T> trim(CallContext context, List<T> items, XdrCodec<List<T>> codec) {
    int budget = budget(context, 0);
    if (budget == Integer.MAX_VALUE) {
      return items;
    }
    int size = 0;
    while (size < items.size() && encodedSize(codec, items.subList(0, size + 1)) <= budget) {
      size++;
    }
    return List.copyOf(items.subList(0, size));
  }

  /**
   * As {@link #trim}, but never fewer than one item: the first that {@code whole} allows, when
   * nothing fits, for a list whose emptiness says there is none. GETADDRLIST cut to nothing told
   * {@code rpcinfo -l -T udp6} from another host "No remote programs registered" where two
   * entries were. One IP entry, like GETADDR's one address that is always answered whole, is at
   * most 92 bytes of body (the longest IPv6 address), a reply of at most 116 bytes to a call of
   * at least 60; a socket path's (up to 107 bytes) is never listed so.
   */
  static <T> List<T> trimKeepingOne(CallContext context, List<T> items, XdrCodec<List<T>> codec,
      Predicate<T> whole) {
    List<T> kept = trim(context, items, codec);
    if (!kept.isEmpty()) {
      return kept;
    }
    return items.stream().filter(whole).limit(1).toList();
  }

  /**
   * As {@link #trim}, but a list that has items and would be cut to none is refused SYSTEM_ERR
   * (a reply of 24 bytes, smaller than any call): an empty list says there is none, and {@code
   * rpcinfo -s -T udp HOST} from another host printed "No remote programs registered." where
   * programs were, a names LOOKUP answered that the name had no instance. No entry of such a
   * list can be kept whole within the bound as GETADDRLIST's one is: an entry names its owner (up
   * to 255 bytes), and a DUMP's call carries nothing to pay for it. libtirpc's rpcinfo says
   * {@code RPC: Remote system error}; rpcbind, which has no such bound, answers the whole list.
   *
   * @param what the procedure, as the refusal names it (DUMP, LOOKUP)
   */
  static <T> List<T> trimOrRefuse(CallContext context, List<T> items, XdrCodec<List<T>> codec, String what) {
    List<T> kept = trim(context, items, codec);
    if (kept.isEmpty() && !items.isEmpty()) {
      throw new RpcException(RpcStatus.SYSTEM_ERR, what + " over UDP from another host: no entry fits a reply"
          + " no larger than its call (the directory is no amplifier); ask over TCP");
    }
    return kept;
  }

  /** True if a body of {@code bytes} may be sent in reply to a call with these arguments. */
  static boolean fits(CallContext context, int argumentBytes, int bytes) {
    return bytes <= budget(context, argumentBytes);
  }

  private static <T> int encodedSize(XdrCodec<T> codec, T value) {
    ByteBuf buf = Unpooled.buffer();
    try {
      codec.encode(new XdrWriter(buf), value);
      return buf.readableBytes();
    } finally {
      buf.release();
    }
  }
}
