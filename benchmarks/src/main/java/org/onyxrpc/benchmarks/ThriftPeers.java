package org.onyxrpc.benchmarks;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.apache.thrift.TException;
import org.apache.thrift.TProcessor;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TField;
import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TMessageType;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.protocol.TProtocolUtil;
import org.apache.thrift.protocol.TStruct;
import org.apache.thrift.protocol.TType;
import org.apache.thrift.server.TServer;
import org.apache.thrift.server.TThreadPoolServer;
import org.apache.thrift.transport.TServerSocket;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.layered.TFramedTransport;

/**
 * Peer: Apache Thrift's classic Java stack in the configuration its docs recommend for a blocking
 * server: {@code TBinaryProtocol} over {@code TFramedTransport}, {@code TThreadPoolServer} (one
 * pooled thread per connection), a {@code TSocket} client (TCP_NODELAY on both ends).
 *
 * <p>There is no Thrift compiler here, so the service {@code i32 add(1: i32 a, 2: i32 b)} is written
 * by hand against the protocol, byte for byte what the generated {@code Client}/{@code Processor}
 * exchange: a CALL message holding an {@code add_args} struct, answered by a REPLY holding an
 * {@code add_result} struct with field 0 ({@code success}).
 */
final class ThriftPeers implements AutoCloseable {
  private static final String ADD = "add";
  private static final TStruct ARGS = new TStruct("add_args");
  private static final TStruct RESULT = new TStruct("add_result");
  private static final TField A = new TField("a", TType.I32, (short) 1);
  private static final TField B = new TField("b", TType.I32, (short) 2);
  private static final TField SUCCESS = new TField("success", TType.I32, (short) 0);

  private final TServer server;
  private final Thread serving;
  private final TFramedTransport clientTransport;
  private final TProtocol client;
  private int seqid;

  ThriftPeers() throws TException, InterruptedException {
    TServerSocket listener = new TServerSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    int port = listener.getServerSocket().getLocalPort();
    server = new TThreadPoolServer(new TThreadPoolServer.Args(listener)
        .processor(new AddProcessor())
        .protocolFactory(new TBinaryProtocol.Factory())
        .transportFactory(new TFramedTransport.Factory())
        .minWorkerThreads(1));
    serving = new Thread(server::serve, "thrift-server");
    serving.setDaemon(true);
    serving.start();
    while (!server.isServing()) {
      Thread.sleep(1);
    }
    clientTransport = new TFramedTransport(new TSocket(InetAddress.getLoopbackAddress().getHostAddress(), port));
    clientTransport.open();
    client = new TBinaryProtocol(clientTransport);
    if (add(AddProgram.ARGS.a(), AddProgram.ARGS.b()) != 5) {
      throw new IllegalStateException("2 + 3 != 5");
    }
  }

  /** One blocking call, as the generated {@code Client.add} makes it. */
  int add(int a, int b) throws TException {
    int id = ++seqid;
    client.writeMessageBegin(new TMessage(ADD, TMessageType.CALL, id));
    client.writeStructBegin(ARGS);
    client.writeFieldBegin(A);
    client.writeI32(a);
    client.writeFieldEnd();
    client.writeFieldBegin(B);
    client.writeI32(b);
    client.writeFieldEnd();
    client.writeFieldStop();
    client.writeStructEnd();
    client.writeMessageEnd();
    clientTransport.flush();

    TMessage reply = client.readMessageBegin();
    if (reply.type != TMessageType.REPLY || reply.seqid != id) {
      throw new TException("unexpected reply " + reply);
    }
    Integer sum = null;
    client.readStructBegin();
    for (TField f = client.readFieldBegin(); f.type != TType.STOP; f = client.readFieldBegin()) {
      if (f.id == 0 && f.type == TType.I32) {
        sum = client.readI32();
      } else {
        TProtocolUtil.skip(client, f.type);
      }
      client.readFieldEnd();
    }
    client.readStructEnd();
    client.readMessageEnd();
    if (sum == null) {
      throw new TException("add failed: unknown result");
    }
    return sum;
  }

  @Override
  public void close() {
    clientTransport.close();
    server.stop();
    try {
      serving.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The server side of {@code add}, as the generated {@code Processor} runs it. */
  private static final class AddProcessor implements TProcessor {
    @Override
    public void process(TProtocol in, TProtocol out) throws TException {
      TMessage call = in.readMessageBegin();
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
      if (!call.name.equals(ADD)) {
        throw new TException("unknown method " + call.name);
      }
      out.writeMessageBegin(new TMessage(ADD, TMessageType.REPLY, call.seqid));
      out.writeStructBegin(RESULT);
      out.writeFieldBegin(SUCCESS);
      out.writeI32(a + b);
      out.writeFieldEnd();
      out.writeFieldStop();
      out.writeStructEnd();
      out.writeMessageEnd();
      out.getTransport().flush();
    }
  }
}
