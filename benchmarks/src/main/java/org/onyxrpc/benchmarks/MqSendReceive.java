package org.onyxrpc.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import org.onyxrpc.client.IoStrategy;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.mq.MessageQueue;
import org.onyxrpc.mq.MessageQueues;
import org.onyxrpc.mq.OpenOptions;
import org.onyxrpc.mq.QueueAttributes;
import org.onyxrpc.mq.QueueServer;
import org.onyxrpc.mq.ReceivedMessage;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.server.RpcServer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One message through an {@code onyx-mq} queue on loopback: {@code send} then {@code receive} by
 * the same thread, for 64-byte and 8 KiB messages. One operation is three calls (send, and the
 * receive's reserve and commit), each at-most-once; the queue is in memory (not durable). Run as
 * throughput (operations/s) and as sampled latency (p50, p99 of one send+receive).
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MqSendReceive {
  @Param({"64", "8192"})
  public int size;

  @Param({"CALLER_RUNS", "EVENT_LOOP"})
  public IoStrategy io;

  private QueueServer queues;
  private RpcServer server;
  private RpcClient client;
  private MessageQueue queue;
  private byte[] message;

  @Setup(Level.Trial)
  public void start() throws IOException {
    queues = QueueServer.builder().build();
    server = RpcServer.builder()
        .bind(InetAddress.getLoopbackAddress(), 0)
        .directory(Directory.none())
        .addService(queues.service())
        .build()
        .start();
    client = RpcClient.builder().address("127.0.0.1", server.port()).ioStrategy(io)
        .credentials(new AuthSys(0, "bench", 1000, 1000, new int[0]))
        .build();
    queue = MessageQueues.open(client, "/bench", OpenOptions.create(0600, QueueAttributes.of(16, 8192)));
    message = new byte[size];
    if (sendReceive().message().length != size) { // the first calls' probe, outside the measurement
      throw new IllegalStateException("the message came back another size");
    }
  }

  @TearDown(Level.Trial)
  public void stop() {
    queue.close();
    client.close();
    queues.close();
    server.close();
  }

  @Benchmark
  public ReceivedMessage sendReceive() {
    queue.send(message, 1);
    return queue.receive();
  }
}
