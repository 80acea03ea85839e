package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.UniversalAddress;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * RPCBPROC_INDIRECT over TCP from another host (a {@link PeerNetworks} namespace, a raw socket of
 * Python's there): a program that listens on TCP alone is not called for it, one on UDP is. The
 * forwarded call comes from this machine, and a TCP-only program that counts its callers by
 * address (onyx mq: half of its queues, handles and waiting places for one address) saw this
 * machine calling: a remote host could take this machine's share beside its own (every queue
 * place, where its own address may take half; queues created as nobody, AUTH_NONE, stay), and park
 * receives without end on the directory's kept connection, which no close ends.
 * rpcbind forwards no indirect call that comes over TCP; the directory forwards those of this
 * machine's callers over TCP too, and another host's over UDP, as it forwards a datagram's.
 * Before, the TCP-only program was called (accept_stat SUCCESS, one call) for the other host.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ResourceLock("port 111") // not the port: the peer namespaces, which the port 111 tests make too
class AnotherHostsIndirectCallsTest {
  private static final int TCP_PROGRAM = 0x20000781;
  private static final int UDP_PROGRAM = 0x20000782;
  private static final String OWNER = "test";

  /** INDIRECT of procedure 1 (an int) over TCP; prints the reply's accept_stat, or "denied". */
  private static final String INDIRECT = """
      import socket, struct, sys
      host, port, prog = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
      args = struct.pack('>IIIIi', prog, 1, 1, 4, 21)
      body = struct.pack('>IIIIIIIIII', 7, 0, 2, 100000, 4, 10, 0, 0, 0, 0) + args
      s = socket.create_connection((host, port), timeout=30)
      s.sendall(struct.pack('>I', 0x80000000 | len(body)) + body)
      def read(n):
          got = b''
          while len(got) < n:
              more = s.recv(n - len(got))
              if not more:
                  sys.exit('closed after ' + repr(got))
              got += more
          return got
      reply = read(struct.unpack('>I', read(4))[0] & 0x7fffffff)
      xid, kind, stat = struct.unpack('>III', reply[:12])
      print('accept_stat %d' % struct.unpack('>I', reply[20:24])[0] if stat == 0 else 'denied')
      """;

  @TempDir Path work;

  @Test
  void aTcpIndirectCallFromAnotherHostReachesNoProgramThatListensOnTcpAlone() throws Exception {
    NativeTools.require("ip", "python3");
    AtomicInteger tcpCalls = new AtomicInteger();
    AtomicInteger udpCalls = new AtomicInteger();
    try (NativeTools tools = new NativeTools(work);
        PeerNetworks networks = PeerNetworks.create(tools, "198.51.100");
        LocalDirectory table = new LocalDirectory(new InMemoryDirectoryStore());
        DirectoryServer directory = DirectoryServer.builder().port(0).directory(table).build().start();
        RpcServer tcpOnly = server(TCP_PROGRAM, Transport.TCP, tcpCalls);
        RpcServer udpOnly = server(UDP_PROGRAM, Transport.UDP, udpCalls)) {
      table.table().set(new ServiceInstance("", TCP_PROGRAM, 1, "tcp", wildcard(tcpOnly.port()), OWNER));
      table.table().set(new ServiceInstance("", UDP_PROGRAM, 1, "udp", wildcard(udpOnly.port()), OWNER));
      PeerNetworks.Peer peer = networks.peers().get(0);
      String script = tools.write("indirect.py", INDIRECT).toString();

      String udpAnswer = networks.runIn(peer, "python3", script, peer.hostAddress(),
          Integer.toString(directory.port()), Integer.toString(UDP_PROGRAM));
      assertEquals("accept_stat 0", udpAnswer.strip(), "a program on UDP is called for the other host");
      assertEquals(1, udpCalls.get());

      String tcpAnswer = networks.runIn(peer, "python3", script, peer.hostAddress(),
          Integer.toString(directory.port()), Integer.toString(TCP_PROGRAM));
      assertEquals("accept_stat 1", tcpAnswer.strip(), "PROG_UNAVAIL: nothing of that number here on UDP");
      assertEquals(0, tcpCalls.get(), "the TCP-only program was called for another host");
    }
  }

  private static String wildcard(int port) {
    return UniversalAddress.format(new InetSocketAddress(new InetSocketAddress(0).getAddress(), port));
  }

  private static RpcServer server(int program, Transport transport, AtomicInteger calls) throws Exception {
    Procedure<Integer, Integer> twice = new Procedure<>(program, 1, 1, "twice", XdrCodecs.INT, XdrCodecs.INT);
    return RpcServer.builder().bind(new InetSocketAddress(0).getAddress(), 0).transports(transport)
        .directory(Directory.none())
        .addService(ServiceDefinition.builder(program, 1).procedure(twice, (n, ctx) -> {
          calls.incrementAndGet();
          return 2 * n;
        }).build()).build().start();
  }
}
