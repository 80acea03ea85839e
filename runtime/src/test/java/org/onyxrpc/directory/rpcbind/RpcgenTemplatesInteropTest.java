package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.remote.DirectoryClient;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * What {@code rpcgen -N -a} writes for a user to fill in (the _client.c and _server.c templates,
 * and the _svc.c main that registers with the portmapper), each filled in with one line per
 * procedure, against Onyx through the Onyx directory on port 111: the template client's
 * {@code clnt_create(host, ..., "udp")} finds an Onyx server and calls it with several arguments
 * (rpcgen -N), and an Onyx DirectoryClient finds and calls the template server, over TCP and UDP;
 * the client edited to nettypes that take IPv6 finds an Onyx server bound to {@code ::1}.
 * WEIGH(1, 2, 3) is 1 + 1000 * 2 + 1000000 * 3 on both sides, so arguments in the wrong order
 * show.
 */
@ResourceLock("port 111")
@Timeout(300)
@SuppressWarnings("try") // the directory held open by try-with-resources
class RpcgenTemplatesInteropTest {
  private static final int PROGRAM = 0x2000077A;
  private static final String X = """
      struct tmpl_pair { int first; hyper second; };
      program TMPL_PROG {
        version TMPL_V1 {
          hyper WEIGH(int, hyper, unsigned int) = 1;
          tmpl_pair SWAP(tmpl_pair) = 2;
        } = 1;
      } = 0x2000077A;
      """;
  /** The comment each function of rpcgen's _server.c template holds where its code goes. */
  private static final String SERVER_CODE_HERE = "\t/*\n\t * insert server code here\n\t */\n";

  /** WEIGH's arguments: rpcgen -N sends them one after the other, as this record's codec. */
  record Weights(int a, long b, int c) {
    static final XdrCodec<Weights> CODEC = XdrCodecs.of(
        (out, w) -> {
          out.writeInt(w.a());
          out.writeHyper(w.b());
          out.writeUnsignedInt(w.c());
        },
        in -> new Weights(in.readInt(), in.readHyper(), in.readUnsignedInt()));
  }

  /** tmpl_pair. */
  record Pair(int first, long second) {
    static final XdrCodec<Pair> CODEC = XdrCodecs.of(
        (out, p) -> {
          out.writeInt(p.first());
          out.writeHyper(p.second());
        },
        in -> new Pair(in.readInt(), in.readHyper()));
  }

  private static final Procedure<Weights, Long> WEIGH = new Procedure<>(PROGRAM, 1, 1,
      "TMPL_PROG.WEIGH", Weights.CODEC, XdrCodecs.HYPER);
  private static final Procedure<Pair, Pair> SWAP = new Procedure<>(PROGRAM, 1, 2,
      "TMPL_PROG.SWAP", Pair.CODEC, Pair.CODEC);

  @TempDir Path work;
  @RegisterExtension final Port111 port111 = Port111.in(() -> work).requiring("rpcgen", "gcc")
      .registeringThroughTheRpcbindSocket("rpcgen's server registers on");

  private NativeTools tools() {
    return port111.tools();
  }

  @Test
  void rpcgenTemplatesFilledInMinimallyWorkWithOnyx() throws Exception {
    buildTemplates();
    try (DirectoryFixture directory = new DirectoryFixture(Portmap.PORT, NativeTools.RPCBIND_SOCKET);
        RpcServer onyx = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
            .transports(Transport.TCP, Transport.UDP)
            .directory(directory.directory)
            .addService(ServiceDefinition.builder(PROGRAM, 1)
                .procedure(WEIGH, (w, ctx) -> w.a() + 1000 * w.b() + 1_000_000 * Integer.toUnsignedLong(w.c()))
                .procedure(SWAP, (p, ctx) -> new Pair((int) p.second(), p.first()))
                .build())
            .build().start()) {
      // The template client: clnt_create over udp asks the directory on port 111.
      assertEquals("weigh 3002001\nswap 8 7\n", tools().run(work.resolve("tmpl_client").toString(), "127.0.0.1"));
    }

    try (DirectoryFixture directory = new DirectoryFixture(Portmap.PORT, NativeTools.RPCBIND_SOCKET)) {
      // The template server: its main registers over udp and tcp through the local socket.
      tools().start(work.resolve("tmpl_server").toString());
      NamesAndLeasesTest.awaitTrue(() -> directory.directory.lookup(PROGRAM, 1).size() >= 2,
          Duration.ofSeconds(60));
      for (Transport transport : new Transport[] {Transport.TCP, Transport.UDP}) {
        try (DirectoryClient c = DirectoryClient.builder().directory(directory.directory)
            .program(PROGRAM, 1).transport(transport).build()) {
          assertEquals(3_002_001L, c.call(WEIGH, new Weights(1, 2, 3)), transport.toString());
          assertEquals(new Pair(8, 7), c.call(SWAP, new Pair(7, 8)), transport.toString());
        }
      }
    }
  }

  /**
   * The template client edited to {@code clnt_create(host, ..., "circuit_n")} and {@code
   * "datagram_n"}, given the host {@code ::1}: libtirpc tries the netids of /etc/netconfig in
   * turn, tcp6 (udp6) the one that reaches ::1; it asks the Onyx directory on port 111 over IPv6
   * (listening on every address, as rpcbind does) and calls an Onyx server bound to {@code ::1}
   * alone, which registered tcp6 and udp6 itself. ({@code clnt_create(host, ..., "tcp6")} is no
   * call libtirpc makes: "tcp6" is a netid, not a nettype, and it answers "RPC: Unknown protocol"
   * before sending anything; {@code clnt_tp_create} with {@code getnetconfigent("tcp6")} is
   * TransportIndependentCPeersInteropTest's.)
   */
  @Test
  void theTemplateClientOverIpv6FindsAnOnyxServerOnTheIpv6Loopback() throws Exception {
    InetAddress loopback6 = NativeTools.ipv6Loopback();
    buildTemplates();
    try (DirectoryServer directory = DirectoryServer.builder().port(Portmap.PORT)
            .directory(new LocalDirectory(new InMemoryDirectoryStore())).build().start();
        RpcServer onyx = RpcServer.builder().bind(loopback6, 0)
            .transports(Transport.TCP, Transport.UDP)
            .directory(directory.directory())
            .addService(ServiceDefinition.builder(PROGRAM, 1)
                .procedure(WEIGH, (w, ctx) -> w.a() + 1000 * w.b() + 1_000_000 * Integer.toUnsignedLong(w.c()))
                .procedure(SWAP, (p, ctx) -> new Pair((int) p.second(), p.first()))
                .build())
            .build().start()) {
      for (String nettype : new String[] {"circuit_n", "datagram_n"}) {
        assertEquals("weigh 3002001\nswap 8 7\n", tools().run(work.resolve("tmpl_client_" + nettype).toString(), "::1"),
            nettype);
      }
    }
  }

  /** rpcgen -N -a, the templates filled in, compiled as its Makefile would (with libtirpc). */
  private void buildTemplates() throws IOException, InterruptedException {
    tools().write("tmpl.x", X);
    tools().run("rpcgen", "-N", "-a", "tmpl.x");
    fill("tmpl_server.c",
        "weigh_1_svc(", "\tresult = arg1 + 1000 * arg2 + 1000000 * (quad_t) arg3;\n",
        "swap_1_svc(", "\tresult.first = (int) arg1.second;\n\tresult.second = arg1.first;\n");
    String client = Files.readString(work.resolve("tmpl_client.c"), StandardCharsets.UTF_8);
    client = once(client, "\tresult_1 = weigh_1(",
        "\tweigh_1_arg1 = 1;\n\tweigh_1_arg2 = 2;\n\tweigh_1_arg3 = 3;\n\tresult_1 = weigh_1(");
    client = once(client, "\tresult_2 = swap_1(",
        "\tif (result_1 != NULL) printf(\"weigh %lld\\n\", (long long) *result_1);\n"
        + "\tswap_1_arg1.first = 7;\n\tswap_1_arg1.second = 8;\n\tresult_2 = swap_1(");
    client = once(client, "#ifndef\tDEBUG\n\tclnt_destroy",
        "\tif (result_2 != NULL) printf(\"swap %d %lld\\n\", result_2->first, (long long) result_2->second);\n"
        + "#ifndef\tDEBUG\n\tclnt_destroy");
    tools().write("tmpl_client.c", client);
    // Makefile.tmpl links -lnsl, which has no RPC on a libtirpc system: the same files with libtirpc.
    tools().run("gcc", "-std=gnu11", "-O1", "-I" + NativeTools.TIRPC_INCLUDE, "-I.", "-o", "tmpl_client",
        "tmpl_clnt.c", "tmpl_client.c", "tmpl_xdr.c", "-ltirpc");
    for (String nettype : new String[] {"circuit_n", "datagram_n"}) {
      // The same client with a nettype that takes IPv6 too, as a user edits the template's "udp".
      tools().write("tmpl_client_" + nettype + ".c", once(client, "TMPL_V1, \"udp\");", "TMPL_V1, \"" + nettype + "\");"));
      tools().run("gcc", "-std=gnu11", "-O1", "-I" + NativeTools.TIRPC_INCLUDE, "-I.", "-o", "tmpl_client_" + nettype,
          "tmpl_clnt.c", "tmpl_client_" + nettype + ".c", "tmpl_xdr.c", "-ltirpc");
    }
    tools().run("gcc", "-std=gnu11", "-O1", "-I" + NativeTools.TIRPC_INCLUDE, "-I.", "-o", "tmpl_server",
        "tmpl_svc.c", "tmpl_server.c", "tmpl_xdr.c", "-ltirpc");
  }

  /** Puts each function's code where the template says to, after the function named. */
  private void fill(String file, String... functionsAndCode) throws IOException {
    String text = Files.readString(work.resolve(file), StandardCharsets.UTF_8);
    for (int i = 0; i < functionsAndCode.length; i += 2) {
      int function = text.indexOf(functionsAndCode[i]);
      int here = text.indexOf(SERVER_CODE_HERE, function);
      assertTrue(function >= 0 && here >= 0, "no place for " + functionsAndCode[i] + " in " + file + ":\n" + text);
      text = text.substring(0, here) + functionsAndCode[i + 1] + text.substring(here + SERVER_CODE_HERE.length());
    }
    tools().write(file, text);
  }

  private static String once(String text, String anchor, String replacement) {
    assertTrue(text.indexOf(anchor) >= 0 && text.indexOf(anchor) == text.lastIndexOf(anchor),
        "the template does not hold '" + anchor + "' once:\n" + text);
    return text.replace(anchor, replacement);
  }
}
