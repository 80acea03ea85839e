package org.onyxrpc.benchmarks;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * A typical small struct for the codec benchmark, with its XDR codec (what the IDL compiler
 * generates for it: straight-line reads and writes) and its protobuf encoding, hand-written against
 * protobuf-java's {@link CodedOutputStream}/{@link CodedInputStream} exactly as protoc's generated
 * {@code writeTo}/parsing code calls them (no protoc here).
 *
 * <pre>
 * struct Trade {                          message Trade {
 *   hyper id;                                int64 id = 1;
 *   string symbol&lt;16&gt;;                       string symbol = 2;
 *   int quantity;                            int32 quantity = 3;
 *   double price;                            double price = 4;
 *   bool buy;                                bool buy = 5;
 *   hyper timestamp;                         int64 timestamp = 6;
 *   string account&lt;32&gt;;                      string account = 7;
 * };                                       }
 * </pre>
 */
record Trade(long id, String symbol, int quantity, double price, boolean buy, long timestamp,
    String account) {
  /** The instance every codec benchmark encodes: 64 bytes of XDR, 55 of protobuf. */
  static final Trade SAMPLE = new Trade(
      1_234_567_890L, "ONYX", 300, 101.25, true, 1_763_780_000_000_000_000L, "acct-0042-trading");

  static final XdrCodec<Trade> XDR = XdrCodecs.of(
      (out, t) -> {
        out.writeHyper(t.id());
        out.writeString(t.symbol(), 16);
        out.writeInt(t.quantity());
        out.writeDouble(t.price());
        out.writeBool(t.buy());
        out.writeHyper(t.timestamp());
        out.writeString(t.account(), 32);
      },
      in -> {
        in.countObject(7); // the record, as generated codecs charge it; its strings charge themselves
        return new Trade(in.readHyper(), in.readString(16), in.readInt(), in.readDouble(),
            in.readBool(), in.readHyper(), in.readString(32));
      });

  /** protobuf wire tags: field number << 3 | wire type (0 varint, 1 64-bit, 2 length-delimited). */
  private static final int ID = 1 << 3;
  private static final int SYMBOL = 2 << 3 | 2;
  private static final int QUANTITY = 3 << 3;
  private static final int PRICE = 4 << 3 | 1;
  private static final int BUY = 5 << 3;
  private static final int TIMESTAMP = 6 << 3;
  private static final int ACCOUNT = 7 << 3 | 2;

  /** Writes the protobuf encoding; fields at their default value are left out, as proto3 does. */
  void writeProto(CodedOutputStream out) throws IOException {
    if (id != 0) {
      out.writeInt64(1, id);
    }
    if (!symbol.isEmpty()) {
      out.writeString(2, symbol);
    }
    if (quantity != 0) {
      out.writeInt32(3, quantity);
    }
    if (Double.doubleToRawLongBits(price) != 0) {
      out.writeDouble(4, price);
    }
    if (buy) {
      out.writeBool(5, true);
    }
    if (timestamp != 0) {
      out.writeInt64(6, timestamp);
    }
    if (!account.isEmpty()) {
      out.writeString(7, account);
    }
  }

  /** Parses the protobuf encoding, skipping unknown fields, as generated parsing code does. */
  static Trade readProto(CodedInputStream in) throws IOException {
    long id = 0;
    String symbol = "";
    int quantity = 0;
    double price = 0;
    boolean buy = false;
    long timestamp = 0;
    String account = "";
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case ID -> id = in.readInt64();
        case SYMBOL -> symbol = in.readStringRequireUtf8();
        case QUANTITY -> quantity = in.readInt32();
        case PRICE -> price = in.readDouble();
        case BUY -> buy = in.readBool();
        case TIMESTAMP -> timestamp = in.readInt64();
        case ACCOUNT -> account = in.readStringRequireUtf8();
        default -> {
          if (!in.skipField(tag)) {
            return new Trade(id, symbol, quantity, price, buy, timestamp, account);
          }
        }
      }
    }
    return new Trade(id, symbol, quantity, price, buy, timestamp, account);
  }
}
