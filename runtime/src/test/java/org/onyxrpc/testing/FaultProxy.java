package org.onyxrpc.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A loopback TCP proxy that sits between an RPC client and server and breaks things on purpose,
 * one whole record at a time: drops requests or replies, duplicates requests, delays them (which
 * also reorders them), swaps neighbours, resets the connection in the middle of a record, and
 * "crashes after execute": forwards a request, then drops its reply and resets the connection.
 * Decisions come from a seeded {@link Random}, so a failing run can be repeated.
 */
public final class FaultProxy implements AutoCloseable {
  /**
   * The probability of each fault per record.
   *
   * @param dropRequest a request vanishes
   * @param dropReply a reply vanishes
   * @param duplicateRequest a request is delivered twice
   * @param delayRequest a request is held back for {@code delayMillis}, letting later ones pass
   * @param delayMillis how long a delayed request is held
   * @param reorderRequest a request is held until the next one has gone
   * @param resetMidRecord half a request is sent, then the connection is reset
   * @param crashAfterExecute a request is delivered, then its reply dropped and the connection reset
   */
  public record Faults(double dropRequest, double dropReply, double duplicateRequest,
      double delayRequest, int delayMillis, double reorderRequest, double resetMidRecord,
      double crashAfterExecute) {
    /** No faults at all. */
    public static final Faults NONE = new Faults(0, 0, 0, 0, 0, 0, 0, 0);
  }

  /** How many of each fault happened. */
  public final LongAdder requests = new LongAdder();
  public final LongAdder droppedRequests = new LongAdder();
  public final LongAdder droppedReplies = new LongAdder();
  public final LongAdder duplicated = new LongAdder();
  public final LongAdder delayed = new LongAdder();
  public final LongAdder reordered = new LongAdder();
  public final LongAdder resets = new LongAdder();
  public final LongAdder crashes = new LongAdder();

  private volatile int targetPort;
  private final ServerSocket listener;
  private final Random random;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<Link> links = new CopyOnWriteArrayList<>();
  private volatile Faults faults;
  private volatile boolean closed;

  public FaultProxy(int targetPort, Faults faults, long seed) throws IOException {
    this.targetPort = targetPort;
    this.faults = faults;
    this.random = new Random(seed);
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "fault-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** New connections go to {@code port} from now on (another server took the service's place). */
  public void target(int port) {
    this.targetPort = port;
  }

  public void faults(Faults faults) {
    this.faults = faults;
  }

  /** Resets every connection open now, on both sides, as a network that fails would. */
  public void resetAll() {
    for (Link link : links) {
      links.remove(link);
      resets.increment();
      link.reset();
    }
  }

  private synchronized boolean roll(double probability) {
    return probability > 0 && random.nextDouble() < probability;
  }

  private void accept() {
    while (!closed) {
      Socket client = null;
      try {
        client = listener.accept();
        Socket server = new Socket();
        try {
          server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2_000);
        } catch (IOException e) {
          client.close(); // the server is down: so is the path through the proxy
          continue;
        }
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(server);
        Link link = new Link(client, server);
        links.add(link);
        start("fault-proxy-up", link::pumpRequests);
        start("fault-proxy-down", link::pumpReplies);
      } catch (IOException e) {
        if (!closed) {
          sleepQuietly(10);
        }
      }
    }
  }

  private static void start(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
  }

  /** One client connection and the server connection it is forwarded to. */
  private final class Link {
    private final Socket client;
    private final Socket server;
    private final Set<Integer> doomedXids = ConcurrentHashMap.newKeySet();
    private byte[] heldBack;

    Link(Socket client, Socket server) {
      this.client = client;
      this.server = server;
    }

    void pumpRequests() {
      try (DataInputStream in = new DataInputStream(client.getInputStream())) {
        OutputStream out = server.getOutputStream();
        while (true) {
          byte[] record = readRecord(in);
          requests.increment();
          Faults f = faults;
          if (roll(f.dropRequest())) {
            droppedRequests.increment();
          } else if (roll(f.resetMidRecord())) {
            resets.increment();
            synchronized (out) {
              out.write(record, 0, record.length / 2);
              out.flush();
            }
            reset();
            return;
          } else if (roll(f.crashAfterExecute())) {
            crashes.increment();
            doomedXids.add(xid(record));
            write(out, record);
          } else if (roll(f.delayRequest())) {
            delayed.increment();
            timer.schedule(() -> writeQuietly(out, record), f.delayMillis(), TimeUnit.MILLISECONDS);
          } else if (heldBack == null && roll(f.reorderRequest())) {
            reordered.increment();
            heldBack = record;
          } else {
            write(out, record);
            if (roll(f.duplicateRequest())) {
              duplicated.increment();
              write(out, record);
            }
            if (heldBack != null) {
              write(out, heldBack);
              heldBack = null;
            }
          }
        }
      } catch (IOException e) {
        reset();
      }
    }

    void pumpReplies() {
      try (DataInputStream in = new DataInputStream(server.getInputStream())) {
        OutputStream out = client.getOutputStream();
        while (true) {
          byte[] record = readRecord(in);
          if (doomedXids.remove(xid(record))) {
            droppedReplies.increment();
            reset();
            return;
          }
          if (roll(faults.dropReply())) {
            droppedReplies.increment();
            continue;
          }
          write(out, record);
        }
      } catch (IOException e) {
        reset();
      }
    }

    private void reset() {
      for (Socket s : new Socket[] {client, server}) {
        try {
          s.setSoLinger(true, 0); // RST, not FIN: the peer sees a reset connection
          s.close();
        } catch (IOException ignored) {
          // already gone
        }
      }
    }
  }

  private static byte[] readRecord(DataInputStream in) throws IOException {
    int header = in.readInt();
    if (header >= 0) {
      throw new IOException("the proxy handles one-fragment records only");
    }
    byte[] record = new byte[header & 0x7FFF_FFFF];
    in.readFully(record);
    return record;
  }

  private static int xid(byte[] record) {
    return ((record[0] & 0xFF) << 24) | ((record[1] & 0xFF) << 16) | ((record[2] & 0xFF) << 8)
        | (record[3] & 0xFF);
  }

  private static void write(OutputStream out, byte[] record) throws IOException {
    int header = 0x8000_0000 | record.length;
    synchronized (out) {
      out.write(new byte[] {(byte) (header >>> 24), (byte) (header >>> 16), (byte) (header >>> 8), (byte) header});
      out.write(record);
      out.flush();
    }
  }

  private static void writeQuietly(OutputStream out, byte[] record) {
    try {
      write(out, record);
    } catch (IOException ignored) {
      // the connection went away while the record was held back: a lost request
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    listener.close();
    timer.shutdownNow();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
