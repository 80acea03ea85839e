package org.onyxrpc.benchmarks;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.thrift.TException;
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
import org.apache.thrift.transport.layered.TFramedTransport;

/**
 * Peer: Apache Thrift's classic Java stack in the configuration its docs recommend for a blocking
 * server: {@code TBinaryProtocol} over {@code TFramedTransport}, {@code TThreadPoolServer} (one
 * pooled thread per connection), a {@code TSocket} client (TCP_NODELAY on both ends). The service,
 * {@code add} and {@code echo}, is {@link ThriftService}; the client calls here are what the
 * generated {@code Client} does.
 *
 * <p>Limits, all at their defaults: a frame may hold up to {@code TConfiguration}'s
 * 16,384,000 bytes and a message 100 MB, both counted per frame, so the 1 MiB echo (1 MiB + 24
 * bytes per frame) fits with room to spare.
 */
final class ThriftPeers implements AutoCloseable {
  private final TServer server;
  private final Thread serving;
  private final TFramedTransport clientTransport;
  private final TProtocol client;
  private int seqid;

  ThriftPeers() throws TException, InterruptedException {
    TServerSocket listener = new TServerSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    int port = listener.getServerSocket().getLocalPort();
    server = new TThreadPoolServer(new TThreadPoolServer.Args(listener)
        .processor(new ThriftService())
        .protocolFactory(new TBinaryProtocol.Factory())
        .transportFactory(new TFramedTransport.Factory())
        .executorService(workers()));
    serving = new Thread(server::serve, ServerThreads.named("thrift-accept"));
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

  /**
   * The pool TThreadPoolServer would build itself (a thread per connection, none queued, idle
   * threads kept 60 s), started with one thread, but with threads named as a server's.
   */
  private static ThreadPoolExecutor workers() {
    return new ThreadPoolExecutor(1, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
        new SynchronousQueue<>(), ServerThreads.factory("thrift-worker"));
  }

  /** One blocking {@code add}, as the generated {@code Client.add} makes it. */
  int add(int a, int b) throws TException {
    int id = beginCall(ThriftService.ADD, ThriftService.ADD_ARGS);
    client.writeFieldBegin(ThriftService.A);
    client.writeI32(a);
    client.writeFieldEnd();
    client.writeFieldBegin(ThriftService.B);
    client.writeI32(b);
    client.writeFieldEnd();
    endCall();

    beginReply(id);
    Integer sum = null;
    for (TField f = client.readFieldBegin(); f.type != TType.STOP; f = client.readFieldBegin()) {
      if (f.id == 0 && f.type == TType.I32) {
        sum = client.readI32();
      } else {
        TProtocolUtil.skip(client, f.type);
      }
      client.readFieldEnd();
    }
    endReply();
    if (sum == null) {
      throw new TException("add failed: unknown result");
    }
    return sum;
  }

  /**
   * One blocking {@code echo}, as the generated {@code Client.echo} makes it: the result is a view
   * of the reply frame, which the transport reads into a new array per frame.
   */
  ByteBuffer echo(ByteBuffer data) throws TException {
    int id = beginCall(ThriftService.ECHO, ThriftService.ECHO_ARGS);
    client.writeFieldBegin(ThriftService.DATA);
    client.writeBinary(data);
    client.writeFieldEnd();
    endCall();

    beginReply(id);
    ByteBuffer result = null;
    for (TField f = client.readFieldBegin(); f.type != TType.STOP; f = client.readFieldBegin()) {
      if (f.id == 0 && f.type == TType.STRING) {
        result = client.readBinary();
      } else {
        TProtocolUtil.skip(client, f.type);
      }
      client.readFieldEnd();
    }
    endReply();
    if (result == null) {
      throw new TException("echo failed: unknown result");
    }
    return result;
  }

  private int beginCall(String method, TStruct args) throws TException {
    int id = ++seqid;
    client.writeMessageBegin(new TMessage(method, TMessageType.CALL, id));
    client.writeStructBegin(args);
    return id;
  }

  private void endCall() throws TException {
    client.writeFieldStop();
    client.writeStructEnd();
    client.writeMessageEnd();
    clientTransport.flush();
  }

  private void beginReply(int id) throws TException {
    TMessage reply = client.readMessageBegin();
    if (reply.type != TMessageType.REPLY || reply.seqid != id) {
      throw new TException("unexpected reply " + reply);
    }
    client.readStructBegin();
  }

  private void endReply() throws TException {
    client.readStructEnd();
    client.readMessageEnd();
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
}
