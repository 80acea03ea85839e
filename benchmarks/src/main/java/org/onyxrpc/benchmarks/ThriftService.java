package org.onyxrpc.benchmarks;

import java.nio.ByteBuffer;
import org.apache.thrift.TException;
import org.apache.thrift.TProcessor;
import org.apache.thrift.protocol.TField;
import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TMessageType;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.protocol.TProtocolUtil;
import org.apache.thrift.protocol.TStruct;
import org.apache.thrift.protocol.TType;

/**
 * The Thrift service of {@link ThriftPeers}, written by hand against the protocol (there is no
 * Thrift compiler here), byte for byte what the generated {@code Client} and {@code Processor}
 * exchange for
 *
 * <pre>
 * service Bench {
 *   i32 add(1: i32 a, 2: i32 b)
 *   binary echo(1: binary data)
 * }
 * </pre>
 *
 * <p>A CALL message holds a {@code <method>_args} struct; the REPLY holds a
 * {@code <method>_result} struct with field 0, {@code success}. This class is the server side,
 * as the generated {@code Processor} runs it; the protocol constants are shared with the client.
 */
final class ThriftService implements TProcessor {
  static final String ADD = "add";
  static final TStruct ADD_ARGS = new TStruct("add_args");
  static final TField A = new TField("a", TType.I32, (short) 1);
  static final TField B = new TField("b", TType.I32, (short) 2);
  private static final TStruct ADD_RESULT = new TStruct("add_result");
  private static final TField ADD_SUCCESS = new TField("success", TType.I32, (short) 0);

  static final String ECHO = "echo";
  static final TStruct ECHO_ARGS = new TStruct("echo_args");
  /** {@code binary} travels as a Thrift STRING: an i32 length, then the bytes. */
  static final TField DATA = new TField("data", TType.STRING, (short) 1);
  private static final TStruct ECHO_RESULT = new TStruct("echo_result");
  private static final TField ECHO_SUCCESS = new TField("success", TType.STRING, (short) 0);

  @Override
  public void process(TProtocol in, TProtocol out) throws TException {
    TMessage call = in.readMessageBegin();
    switch (call.name) {
      case ADD -> add(call, in, out);
      case ECHO -> echo(call, in, out);
      default -> {
        TProtocolUtil.skip(in, TType.STRUCT);
        in.readMessageEnd();
        throw new TException("unknown method " + call.name);
      }
    }
  }

  private static void add(TMessage call, TProtocol in, TProtocol out) throws TException {
    int a = 0;
    int b = 0;
    in.readStructBegin();
    for (TField f = in.readFieldBegin(); f.type != TType.STOP; f = in.readFieldBegin()) {
      if (f.id == 1 && f.type == TType.I32) {
        a = in.readI32();
      } else if (f.id == 2 && f.type == TType.I32) {
        b = in.readI32();
      } else {
        TProtocolUtil.skip(in, f.type);
      }
      in.readFieldEnd();
    }
    in.readStructEnd();
    in.readMessageEnd();
    out.writeMessageBegin(new TMessage(ADD, TMessageType.REPLY, call.seqid));
    out.writeStructBegin(ADD_RESULT);
    out.writeFieldBegin(ADD_SUCCESS);
    out.writeI32(a + b);
    endReply(out);
  }

  /**
   * Sends back the bytes received. {@code readBinary} hands out a view of the frame the transport
   * read (no copy, as in generated code); {@code writeBinary} copies it into the reply's frame.
   */
  private static void echo(TMessage call, TProtocol in, TProtocol out) throws TException {
    ByteBuffer data = null;
    in.readStructBegin();
    for (TField f = in.readFieldBegin(); f.type != TType.STOP; f = in.readFieldBegin()) {
      if (f.id == 1 && f.type == TType.STRING) {
        data = in.readBinary();
      } else {
        TProtocolUtil.skip(in, f.type);
      }
      in.readFieldEnd();
    }
    in.readStructEnd();
    in.readMessageEnd();
    if (data == null) {
      throw new TException("echo without data");
    }
    out.writeMessageBegin(new TMessage(ECHO, TMessageType.REPLY, call.seqid));
    out.writeStructBegin(ECHO_RESULT);
    out.writeFieldBegin(ECHO_SUCCESS);
    out.writeBinary(data);
    endReply(out);
  }

  /** Ends the success field, the result struct and the message, and sends the frame. */
  private static void endReply(TProtocol out) throws TException {
    out.writeFieldEnd();
    out.writeFieldStop();
    out.writeStructEnd();
    out.writeMessageEnd();
    out.getTransport().flush();
  }
}
