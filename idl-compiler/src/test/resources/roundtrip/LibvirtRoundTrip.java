import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * Values of libvirt's remote_protocol.x through the codecs Onyx generates from it: each decodes
 * to what was encoded, with nothing left over, and a few have their bytes spelt out as RFC 4506
 * lays them out. As a function, it checks that the bytes rpcgen's C gives the values of
 * {@link #vectors()} (printed by {@code c/libvirt_vectors.c}) are the Java codecs' bytes, and
 * decode to the same values.
 */
public final class LibvirtRoundTrip implements Callable<String>, Function<Map<String, String>, String> {
  /** A value and its codec. */
  record Vector<T>(XdrCodec<T> codec, T value) {
    String hex() {
      ByteBuf buf = Unpooled.buffer();
      try {
        codec.encode(new XdrWriter(buf), value);
        return ByteBufUtil.hexDump(buf);
      } finally {
        buf.release();
      }
    }

    T decode(String hex) {
      ByteBuf buf = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
      try {
        T decoded = codec.decode(new XdrReader(buf));
        check(buf.readableBytes() == 0, buf.readableBytes() + " bytes left after " + decoded);
        return decoded;
      } finally {
        buf.release();
      }
    }
  }

  /** The values c/libvirt_vectors.c encodes too, by the names it prints. */
  static Map<String, Vector<?>> vectors() {
    byte[] uuid = new byte[16];
    for (int i = 0; i < uuid.length; i++) {
      uuid[i] = (byte) (0xf0 + i);
    }
    RemoteNonnullDomain dom = new RemoteNonnullDomain("guest-\u00e9", uuid, 7);
    List<RemoteTypedParam> params = params();
    Map<String, Vector<?>> vectors = new LinkedHashMap<>();
    vectors.put("info", new Vector<>(RemoteDomainGetInfoRet.CODEC,
        new RemoteDomainGetInfoRet(1, 0x100000001L, 4096, 4, -1L)));
    vectors.put("domain", new Vector<>(RemoteNonnullDomain.CODEC, dom));
    vectors.put("scheduler", new Vector<>(RemoteDomainGetSchedulerParametersRet.CODEC,
        new RemoteDomainGetSchedulerParametersRet(params)));
    vectors.put("tunable", new Vector<>(RemoteDomainEventCallbackTunableMsg.CODEC,
        new RemoteDomainEventCallbackTunableMsg(3, dom, params)));
    vectors.put("error_bare", new Vector<>(RemoteError.CODEC,
        new RemoteError(1, 2, null, 3, null, null, null, null, 4, 5, null)));
    vectors.put("error_full", new Vector<>(RemoteError.CODEC, new RemoteError(42, 10,
        "Domain not found", 2, dom, "a", null, "c", -1, 1, new RemoteNonnullNetwork("default", uuid))));
    return vectors;
  }

  /** Every arm of the typed parameter union, at the edges of its type. */
  private static List<RemoteTypedParam> params() {
    return List.of(
        new RemoteTypedParam("period", new RemoteTypedParamValue.I(-5)),
        new RemoteTypedParam("weight", new RemoteTypedParamValue.Ui(0x80000000)),
        new RemoteTypedParam("vcpu_quota", new RemoteTypedParamValue.L(Long.MIN_VALUE)),
        new RemoteTypedParam("cpu_shares", new RemoteTypedParamValue.Ul(-1L)),
        new RemoteTypedParam("ratio", new RemoteTypedParamValue.D(0.25)),
        new RemoteTypedParam("enabled", new RemoteTypedParamValue.B(1)),
        new RemoteTypedParam("label", new RemoteTypedParamValue.S("syst\u00e8me")));
  }

  @Override
  public String apply(Map<String, String> fromC) {
    Map<String, Vector<?>> vectors = vectors();
    check(fromC.keySet().equals(vectors.keySet()), "C printed " + fromC.keySet());
    vectors.forEach((name, vector) -> {
      check(vector.hex().equals(fromC.get(name)),
          name + ": Java writes " + vector.hex() + ", C writes " + fromC.get(name));
      check(Objects.equals(vector.decode(fromC.get(name)), vector.value()), name + ": C's bytes decode otherwise");
    });
    return "ok";
  }

  @Override
  public String call() {
    vectors().values().forEach(vector -> roundTrip(vector));
    roundTrip(RemoteDomainGetSchedulerParametersRet.CODEC, new RemoteDomainGetSchedulerParametersRet(List.of()));
    roundTrip(RemoteProcedure.CODEC, RemoteProcedure.REMOTE_PROC_DOMAIN_GET_INFO);
    check(RemoteProcedure.REMOTE_PROC_DOMAIN_GET_INFO.value() == 16, "REMOTE_PROC_DOMAIN_GET_INFO is 16");

    // unsigned char and unsigned short travel as 4-byte ints (xdr_u_char, xdr_u_short).
    bytes(RemoteDomainGetInfoRet.CODEC, new RemoteDomainGetInfoRet(1, 0x100000001L, 4096, 4, -1L),
        "00000001 0000000100000001 0000000000001000 00000004 ffffffffffffffff");
    bytes(RemoteTypedParam.CODEC, new RemoteTypedParam("ab", new RemoteTypedParamValue.S("xyz")),
        "00000002 61620000 00000007 00000003 78797a00");
    bytes(RemoteError.CODEC, new RemoteError(1, 2, null, 3, null, null, null, null, 4, 5, null),
        "00000001 00000002 00000000 00000003 00000000 00000000 00000000 00000000 00000004 00000005 00000000");
    // remote_string is optional-data: null travels as FALSE, a string as TRUE and the string.
    bytes(RemoteError.CODEC, new RemoteError(1, 2, "m", 3, null, null, null, null, 4, 5, null),
        "00000001 00000002 00000001 00000001 6d000000 00000003 00000000 00000000 00000000 00000000"
            + " 00000004 00000005 00000000");
    return "ok";
  }

  private static <T> void roundTrip(Vector<T> vector) {
    roundTrip(vector.codec(), vector.value());
  }

  private static <T> void roundTrip(XdrCodec<T> codec, T value) {
    ByteBuf buf = Unpooled.buffer();
    try {
      codec.encode(new XdrWriter(buf), value);
      T decoded = codec.decode(new XdrReader(buf));
      check(Objects.equals(value, decoded), "decoded " + decoded + ", expected " + value);
      check(buf.readableBytes() == 0, buf.readableBytes() + " bytes left after " + value);
    } finally {
      buf.release();
    }
  }

  private static <T> void bytes(XdrCodec<T> codec, T value, String hex) {
    ByteBuf buf = Unpooled.buffer();
    try {
      codec.encode(new XdrWriter(buf), value);
      String actual = ByteBufUtil.hexDump(buf);
      check(actual.equals(hex.replace(" ", "")), value + " encoded as " + actual + ", expected " + hex);
    } finally {
      buf.release();
    }
    roundTrip(codec, value);
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }
}
