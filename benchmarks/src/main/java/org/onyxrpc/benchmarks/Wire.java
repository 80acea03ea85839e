package org.onyxrpc.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.internal.transport.RecordMarking;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.xdr.XdrWriter;

/**
 * The exact bytes of one {@link AddProgram#ADD} call and its reply as Onyx puts them on a TCP
 * connection, record mark included, encoded once by the runtime's own message writers. The
 * baselines send these canned arrays with only the xid patched, so every peer in a run moves the
 * same bytes; {@code WireTest} checks that Onyx really sends and accepts them.
 *
 * <pre>
 * call  (52 bytes): mark | xid CALL rpcvers=2 prog vers proc | cred AUTH_NONE | verf AUTH_NONE | a b
 * reply (32 bytes): mark | xid REPLY MSG_ACCEPTED | verf AUTH_NONE | SUCCESS | result
 * </pre>
 */
public final class Wire {
  /** Where the xid starts: right after the 4-byte record mark. */
  public static final int XID_OFFSET = RecordMarking.HEADER_BYTES;

  private static final byte[] CALL = encodeCall();
  private static final byte[] REPLY = encodeReply();

  private Wire() {}

  /** A fresh copy of the call record with xid 0. */
  public static byte[] call() {
    return CALL.clone();
  }

  /** A fresh copy of the reply record (result 5) with xid 0. */
  public static byte[] reply() {
    return REPLY.clone();
  }

  /** Writes {@code xid} big-endian at {@link #XID_OFFSET} of a record. */
  public static void setXid(byte[] record, int xid) {
    record[XID_OFFSET] = (byte) (xid >>> 24);
    record[XID_OFFSET + 1] = (byte) (xid >>> 16);
    record[XID_OFFSET + 2] = (byte) (xid >>> 8);
    record[XID_OFFSET + 3] = (byte) xid;
  }

  /** Reads a big-endian int at {@code offset}. */
  public static int getInt(byte[] bytes, int offset) {
    return (bytes[offset] & 0xFF) << 24 | (bytes[offset + 1] & 0xFF) << 16
        | (bytes[offset + 2] & 0xFF) << 8 | bytes[offset + 3] & 0xFF;
  }

  /**
   * Sends {@code call} as one record over a blocking socket, {@code xid} patched in, and reads
   * the reply record into {@code reply}, on the calling thread; returns the reply's length. A
   * record mark that is not one whole fragment, or another xid, is an error.
   */
  static int exchange(OutputStream out, DataInputStream in, byte[] call, int xid, byte[] reply)
      throws IOException {
    setXid(call, xid);
    out.write(call);
    int header = in.readInt();
    int length = header & RecordMarking.LENGTH_MASK;
    if ((header & RecordMarking.LAST_FRAGMENT) == 0 || length > reply.length) {
      throw new IOException("unexpected record mark " + Integer.toHexString(header));
    }
    in.readFully(reply, 0, length);
    if (getInt(reply, 0) != xid) {
      throw new IOException("reply to xid " + getInt(reply, 0) + ", expected " + xid);
    }
    return length;
  }

  /**
   * The {@link AddProgram#ECHO} call record carrying {@code data} (xid 0), one fragment. Its reply
   * is the {@link #reply()} header followed by the same opaque: {@link #CALL_HEADER_BYTES} in,
   * {@link #REPLY_HEADER_BYTES} out.
   */
  public static byte[] echoCall(byte[] data) {
    return encodeCall(AddProgram.ECHO, data);
  }

  /** Bytes of an AUTH_NONE call record before the arguments: xid … verifier (RFC 5531 §9). */
  public static final int CALL_HEADER_BYTES = 40;
  /** Bytes of an accepted, successful reply before the result: xid … accept_stat. */
  public static final int REPLY_HEADER_BYTES = 24;

  private static byte[] encodeCall() {
    return encodeCall(AddProgram.ADD, AddProgram.ARGS);
  }

  private static <A> byte[] encodeCall(Procedure<A, ?> procedure, A args) {
    ByteBuf buf = Unpooled.buffer();
    int mark = RecordMarking.begin(buf);
    XdrWriter out = new XdrWriter(buf);
    RpcMessages.writeCallUpToVerifier(out, 0, procedure, OpaqueAuth.NONE);
    OpaqueAuth.NONE.encode(out);
    procedure.arguments().encode(out, args);
    RecordMarking.end(buf, mark);
    return ByteBufUtil.getBytes(buf);
  }

  private static byte[] encodeReply() {
    ByteBuf buf = Unpooled.buffer();
    int mark = RecordMarking.begin(buf);
    XdrWriter out = new XdrWriter(buf);
    RpcMessages.writeSuccessHeader(out, 0);
    AddProgram.ADD.result().encode(out, AddProgram.ARGS.a() + AddProgram.ARGS.b());
    RecordMarking.end(buf, mark);
    return ByteBufUtil.getBytes(buf);
  }
}
