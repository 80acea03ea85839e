package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.onyxrpc.client.IoStrategy;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.rpcbind.RawRpcbind.In;
import org.onyxrpc.directory.rpcbind.RawRpcbind.Out;
import org.onyxrpc.directory.rpcbind.RawRpcbind.Reply;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;

/**
 * The same raw requests, over UDP and then TCP, to Debian's rpcbind and then to the Onyx
 * directory, each alone on port 111 of 127.0.0.1; their replies are decoded by the same code and
 * compared field by field. Normalised, because they must differ: the time, the order of DUMP
 * (registration order in rpcbind, sorted in Onyx: no client reads meaning into it), and each
 * directory's entries for itself (rpcbind also lists tcp6, udp6 and its local socket, which
 * this directory on IPv4 has not; Onyx also lists its names program, an Onyx extension, as
 * names and leases are). Every other difference is listed with its reason beside its request
 * ({@code main} and {@code edges} below), and both sides of it are asserted: a change on either side
 * shows. rpcbind runs with {@code -r}, as the Onyx directory forwards indirect calls.
 *
 * <p>Like the other classes that take port 111, it holds the "port 111" resource lock, and
 * without rpcbind it is skipped, or fails under CI ({@link NativeTools}).
 */
@ResourceLock("port 111")
class RpcbindDifferentialTest {
  private static final Path RPCBIND_SOCKET = Path.of("/run/rpcbind.sock");
  private static final int TS = TestService.PROGRAM;

  @TempDir Path work;

  /** One request and how to read its results; {@code differs} names an intended difference. */
  private record Case(Transport transport, String name, int version, int procedure, byte[] credential,
      byte[] args, int rpcVersion, Function<In, String> results, boolean forwards, Difference differs) {
    Case differs(String why, String rpcbind, String onyx) {
      return new Case(transport, name, version, procedure, credential, args, rpcVersion, results, forwards,
          new Difference(why, rpcbind, onyx));
    }

    /** An intended difference over {@code only}, when this case goes over {@code t}. */
    Case differs(Transport t, Transport only, String why, String rpcbind, String onyx) {
      return t == only ? differs(why, rpcbind, onyx) : this;
    }

    Case forwarded() {
      return new Case(transport, name, version, procedure, credential, args, rpcVersion, results, true,
          differs);
    }

    Case rpcVersion(int v) {
      return new Case(transport, name, version, procedure, credential, args, v, results, forwards, differs);
    }

    Case over(Transport t) {
      return new Case(t, name, version, procedure, credential, args, rpcVersion, results, forwards, differs);
    }
  }

  /**
   * An intended difference: why, and what each answers (rendered as {@link #render} does); a null
   * {@code rpcbind} where what it answers is an accident (what libtirpc's UDP transport decodes
   * from its receive buffer past the end of a truncated call's datagram).
   */
  private record Difference(String why, String rpcbind, String onyx) {}

  @Test
  void onyxAnswersEveryRequestAsRpcbindDoes() throws Exception {
    NativeTools.require("rpcbind");
    NativeTools.awaitPort111();
    try (RpcServer target = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .directory(Directory.none()).addService(new TestService().definition()).build().start()) {
      int port = target.port();
      warmUp(port);
      Map<String, String> debian = debianAnswers(port);
      NativeTools.awaitPort111();
      Map<String, String> onyx;
      try (LocalDirectory table = new LocalDirectory(new InMemoryDirectoryStore());
          DirectoryServer directory = DirectoryServer.builder()
              .bind(InetAddress.getByName("0.0.0.0"), Portmap.PORT).directory(table).build().start()) {
        onyx = answers(port);
      }
      compare(port, debian, onyx);
    }
  }

  private Map<String, String> debianAnswers(int port) throws Exception {
    boolean hadSocket = Files.exists(RPCBIND_SOCKET);
    try (NativeTools tools = new NativeTools(work)) {
      // -r: indirect calls on, as the Onyx directory has them (rpcbind's default refuses them all)
      Process rpcbind = tools.start("rpcbind", "-f", "-r");
      if (!Await.within(() -> !rpcbind.isAlive() || answersPing(), Duration.ofSeconds(15))
          || !rpcbind.isAlive()) {
        fail("rpcbind -f did not answer on port 111:\n" + Files.readString(work.resolve("rpcbind.log")));
      }
      return answers(port);
    } finally {
      if (!hadSocket) {
        Files.deleteIfExists(RPCBIND_SOCKET); // rpcbind leaves it behind on SIGTERM
      }
    }
  }

  /**
   * Calls the target once over each transport, so that its first forwarded call is not slow. Its
   * strategy is named, as the directory's forwarding clients name theirs: nothing here depends on
   * the default, so the caller-runs execution leaves this class out (runtime-variants/pom.xml).
   */
  private static void warmUp(int port) {
    for (Transport t : List.of(Transport.UDP, Transport.TCP)) {
      try (RpcClient c = RpcClient.builder().address("127.0.0.1", port).transport(t)
          .ioStrategy(IoStrategy.EVENT_LOOP).build()) {
        assertEquals(42, c.call(TestService.ADD, new TestService.Pair(2, 40)));
      }
    }
  }

  private static boolean answersPing() {
    try {
      return RawRpcbind.exchange(Transport.UDP, 1, RawRpcbind.call(1, 2, Portmap.PROGRAM, 2, 0,
          RawRpcbind.NONE, new byte[0]), false).success()
          && RawRpcbind.exchange(Transport.TCP, 1, RawRpcbind.call(1, 2, Portmap.PROGRAM, 2, 0,
          RawRpcbind.NONE, new byte[0]), false).success();
    } catch (IOException e) {
      return false;
    }
  }

  /** Every case over UDP then TCP, in order: each answer rendered, keyed by transport and case. */
  private static Map<String, String> answers(int port) throws Exception {
    Map<String, String> answers = new LinkedHashMap<>();
    int xid = 0x4F000000;
    for (Case c : cases(port)) {
      xid += 2;
      byte[] call = RawRpcbind.call(xid, c.rpcVersion(), Portmap.PROGRAM, c.version(), c.procedure(),
          c.credential(), c.args());
      answers.put(c.transport() + " " + c.name(), render(c, RawRpcbind.exchange(c.transport(), xid, call,
          c.forwards())));
    }
    return answers;
  }

  private static void compare(int port, Map<String, String> debian, Map<String, String> onyx) {
    Map<String, Difference> intended = new LinkedHashMap<>();
    for (Case c : cases(port)) {
      if (c.differs() != null) {
        intended.put(c.transport() + " " + c.name(), c.differs());
      }
    }
    List<String> wrong = new ArrayList<>();
    StringBuilder table = new StringBuilder();
    for (String key : debian.keySet()) {
      String d = debian.get(key);
      String o = onyx.get(key);
      Difference why = intended.get(key);
      boolean ok = why == null ? d.equals(o)
          : (why.rpcbind() == null || why.rpcbind().equals(d)) && why.onyx().equals(o);
      table.append(ok ? "  " : "! ").append(key).append("\n      rpcbind: ").append(d)
          .append("\n      onyx:    ").append(o).append('\n');
      if (why != null) {
        table.append("      (").append(why.why()).append(")\n");
      }
      if (!ok) {
        wrong.add(key);
      }
    }
    assertEquals(List.of(), wrong, table.toString());
  }

  private static String render(Case c, Reply r) {
    if (!r.success()) {
      return r.outcome();
    }
    try {
      In in = new In(r.body());
      String results = c.results().apply(in);
      return "SUCCESS " + results + (in.atEnd() ? "" : " +bytes");
    } catch (RuntimeException e) {
      return "SUCCESS undecodable " + HexFormat.of().formatHex(r.body());
    }
  }

  // ---- the requests

  private static final String OVER_TCP = "rpcbind forwards indirect calls that come over UDP only;"
      + " the Onyx directory over TCP too, where rpcbind leaves the caller waiting for nothing";
  private static final String OWN_STATUS = "rpcbind answers SYSTEM_ERR to any failed INDIRECT; the"
      + " Onyx directory passes on the status the program called answered";
  private static final String DECODES_ON = "rpcbind over UDP decodes a truncated call on into"
      + " what its receive buffer holds from earlier datagrams; the Onyx directory answers"
      + " GARBAGE_ARGS, as rpcbind does over TCP";
  private static final String VALIDATES = "rpcbind stores any netid and address a local caller"
      + " sets, and a v2 port truncated to 16 bits; the Onyx directory refuses what no client"
      + " could use";
  private static final String TRANSPORT_FAMILY = "rpcbind converts an address in the family of the"
      + " transport the call came over (an IPv6 one over IPv4 is nothing to it, and a netbuf is read"
      + " as a sockaddr of that family whatever family it holds); the Onyx directory in the"
      + " address's own family, an IPv4-mapped one as the IPv4 address it maps";
  private static final String PORT_BYTES = "libtirpc reads a universal address's port numbers with"
      + " strtol and takes high * 256 + low whatever they are (0.999 is port 999); the Onyx"
      + " directory only bytes 0..255, as RFC 1833 defines them";
  private static final String ASKED_NETID = "rpcbind looks up the netid of the transport the"
      + " call came over, whatever r_netid says; the Onyx directory the netid asked (RFC 1833)."
      + " libtirpc and Linux ask over the transport they look up, where both agree";

  /** AUTH_ERROR AUTH_TOOWEAK, what rpcbind answers an indirect call it refuses to make. */
  private static final String REFUSED = "DENIED AUTH_ERROR 5";
  private static final byte[] NOTHING = new byte[0];
  private static final byte[] ROOT = RawRpcbind.authSys(0);
  private static final byte[] UID_1000 = RawRpcbind.authSys(1000);
  private static final byte[] UID_2000 = RawRpcbind.authSys(2000);

  private static Case c(String name, int version, int procedure, byte[] credential, byte[] args,
      Function<In, String> results) {
    return new Case(null, name, version, procedure, credential, args, 2, results, false, null);
  }

  private static byte[] rpcb(int program, int version, String netid, String address, String owner) {
    return new Out().u32(program).u32(version).string(netid).string(address).string(owner).bytes();
  }

  private static byte[] pmap(int program, int version, int protocol, int port) {
    return new Out().u32(program).u32(version).u32(protocol).u32(port).bytes();
  }

  private static byte[] callArgs(int program, int version, int procedure, byte[] args) {
    return new Out().u32(program).u32(version).u32(procedure).opaque(args).bytes();
  }

  private static String uaddr(int port) {
    return "127.0.0.1." + (port >> 8) + "." + (port & 0xFF);
  }

  /**
   * Every request, in the order sent: the main requests over UDP and then over TCP (GETSTAT
   * last), then the edge cases, after both GETSTATs, as those leave different entries behind.
   */
  private static List<Case> cases(int port) {
    List<Case> all = new ArrayList<>();
    for (Transport t : List.of(Transport.UDP, Transport.TCP)) {
      main(t, port).forEach(c -> all.add(c.over(t)));
    }
    for (Transport t : List.of(Transport.UDP, Transport.TCP)) {
      edges(t).forEach(c -> all.add(c.over(t)));
    }
    return all;
  }

  private static final Function<In, String> BOOL = in -> in.u32() == 1 ? "true" : "false";
  private static final Function<In, String> STRING = In::string;
  private static final Function<In, String> PORT = in -> "port " + in.u32();
  private static final Function<In, String> VOID = in -> "void";

  /** The requests sent over {@code t}; the programs differ per transport so that each starts clean. */
  private static List<Case> main(Transport t, int port) {
    int p = t == Transport.UDP ? 0x20000770 : 0x20000780;
    String netid = t == Transport.UDP ? "udp" : "tcp";
    String other = t == Transport.UDP ? "tcp" : "udp";
    int proto = t == Transport.UDP ? Portmap.IPPROTO_UDP : Portmap.IPPROTO_TCP;
    byte[] add = new Out().u32(2).u32(40).bytes();
    Function<In, String> result2 = RenderedResults::callResult2;
    Function<In, String> result = RenderedResults::callResult;
    String at = "SUCCESS " + uaddr(port) + " results ";
    return List.of(
        // the pings, and what no program, version or procedure of rpcbind's is
        c("v2 NULL", 2, 0, RawRpcbind.NONE, NOTHING, VOID),
        c("v3 NULL", 3, 0, RawRpcbind.NONE, NOTHING, VOID),
        c("v4 NULL", 4, 0, RawRpcbind.NONE, NOTHING, VOID),
        c("v2 NULL with arguments", 2, 0, RawRpcbind.NONE, new Out().u32(7).bytes(), VOID),
        c("v1 NULL", 1, 0, RawRpcbind.NONE, NOTHING, VOID),
        c("v5 NULL", 5, 0, RawRpcbind.NONE, NOTHING, VOID),
        c("v2 procedure 6", 2, 6, RawRpcbind.NONE, NOTHING, VOID),
        c("v3 procedure 9", 3, 9, RawRpcbind.NONE, NOTHING, VOID),
        c("v4 procedure 13", 4, 13, RawRpcbind.NONE, NOTHING, VOID),
        c("unknown credential flavour", 2, 3, new Out().u32(99).opaque(NOTHING).bytes(),
            pmap(p, 1, proto, 0), PORT),
        // rpcbind SET, UNSET and GETADDR; the owner is "unknown" over TCP and UDP, whatever the
        // credentials claim, in both
        c("v3 SET", 3, 1, ROOT, rpcb(p, 1, netid, "127.0.0.1.4.1", "x"), BOOL),
        c("v3 SET again", 3, 1, ROOT, rpcb(p, 1, netid, "127.0.0.1.4.1", "x"), BOOL),
        c("v3 SET elsewhere", 3, 1, ROOT, rpcb(p, 1, netid, "127.0.0.1.4.2", "x"), BOOL),
        c("v4 SET other netid as uid 1000", 4, 1, UID_1000, rpcb(p, 1, other, "127.0.0.1.4.3", ""), BOOL),
        c("v4 SET AUTH_NONE", 4, 1, RawRpcbind.NONE, rpcb(p, 2, netid, "127.0.0.1.4.4", "root"), BOOL),
        c("v3 GETADDR", 3, 3, RawRpcbind.NONE, rpcb(p, 1, netid, "", ""), STRING),
        c("v4 GETADDR", 4, 3, RawRpcbind.NONE, rpcb(p, 1, netid, "", ""), STRING),
        c("v3 GETADDR empty netid", 3, 3, RawRpcbind.NONE, rpcb(p, 1, "", "", ""), STRING),
        c("v3 GETADDR version not registered", 3, 3, RawRpcbind.NONE, rpcb(p, 9, netid, "", ""), STRING),
        c("v4 GETADDR program not registered", 4, 3, RawRpcbind.NONE, rpcb(p + 7, 1, netid, "", ""), STRING),
        c("v4 GETVERSADDR", 4, 9, RawRpcbind.NONE, rpcb(p, 2, netid, "", ""), STRING),
        c("v4 GETVERSADDR version not registered", 4, 9, RawRpcbind.NONE, rpcb(p, 9, netid, "", ""), STRING),
        c("v4 GETADDRLIST", 4, 11, RawRpcbind.NONE, rpcb(p, 1, "", "", ""), RenderedResults::entries),
        c("v4 GETADDRLIST not registered", 4, 11, RawRpcbind.NONE, rpcb(p + 7, 1, "", "", ""),
            RenderedResults::entries),
        c("v3 DUMP", 3, 4, RawRpcbind.NONE, NOTHING, RenderedResults::dump),
        c("v4 DUMP", 4, 4, RawRpcbind.NONE, NOTHING, RenderedResults::dump),
        c("v3 UNSET as another uid", 3, 2, UID_2000, rpcb(p, 1, other, "", ""), BOOL),
        c("v3 UNSET every netid", 3, 2, UID_1000, rpcb(p, 1, "", "", ""), BOOL),
        c("v3 UNSET nothing there", 3, 2, ROOT, rpcb(p, 1, netid, "", ""), BOOL),
        c("v4 GETADDR after UNSET", 4, 3, RawRpcbind.NONE, rpcb(p, 1, netid, "", ""), STRING),
        c("v4 UNSET the rest", 4, 2, RawRpcbind.NONE, rpcb(p, 2, "", "", ""), BOOL),
        // portmap
        c("v2 SET", 2, 1, ROOT, pmap(p + 1, 1, proto, 1234), BOOL),
        c("v2 SET again", 2, 1, ROOT, pmap(p + 1, 1, proto, 1234), BOOL),
        c("v2 SET elsewhere", 2, 1, ROOT, pmap(p + 1, 1, proto, 1235), BOOL),
        c("v2 SET version 2", 2, 1, ROOT, pmap(p + 1, 2, proto, 1236), BOOL),
        c("v2 GETPORT", 2, 3, RawRpcbind.NONE, pmap(p + 1, 1, proto, 0), PORT),
        c("v2 GETPORT the other protocol", 2, 3, RawRpcbind.NONE, pmap(p + 1, 1, 23 - proto, 0), PORT),
        c("v2 GETPORT protocol 99", 2, 3, RawRpcbind.NONE, pmap(p + 1, 1, 99, 0), PORT),
        c("v2 GETPORT version not registered", 2, 3, RawRpcbind.NONE, pmap(p + 1, 9, proto, 0), PORT),
        c("v2 GETPORT program not registered", 2, 3, RawRpcbind.NONE, pmap(p + 7, 1, proto, 0), PORT),
        c("v3 GETADDR of a v2 SET", 3, 3, RawRpcbind.NONE, rpcb(p + 1, 1, netid, "", ""), STRING),
        c("v2 DUMP", 2, 4, RawRpcbind.NONE, NOTHING, RenderedResults::dump2),
        c("v2 UNSET as another uid", 2, 2, UID_2000, pmap(p + 1, 1, 0, 0), BOOL),
        c("v2 UNSET nothing there", 2, 2, ROOT, pmap(p + 1, 1, 0, 0), BOOL),
        c("v2 GETPORT after UNSET", 2, 3, RawRpcbind.NONE, pmap(p + 1, 1, proto, 0), PORT),
        c("v2 UNSET version 2", 2, 2, ROOT, pmap(p + 1, 2, 0, 0), BOOL),
        // time and addresses
        c("v3 GETTIME", 3, 6, RawRpcbind.NONE, NOTHING, RenderedResults::time),
        c("v4 GETTIME", 4, 6, RawRpcbind.NONE, NOTHING, RenderedResults::time),
        c("v3 UADDR2TADDR", 3, 7, RawRpcbind.NONE, new Out().string("127.0.0.1.0.111").bytes(),
            RenderedResults::netbuf),
        c("v4 UADDR2TADDR not an address", 4, 7, RawRpcbind.NONE, new Out().string("nowhere").bytes(),
            RenderedResults::netbuf),
        c("v3 TADDR2UADDR", 3, 8, RawRpcbind.NONE,
            new Out().u32(16).opaque(HexFormat.of().parseHex("0002006f7f0000010000000000000000")).bytes(), STRING),
        c("v4 TADDR2UADDR too short", 4, 8, RawRpcbind.NONE,
            new Out().u32(4).opaque(HexFormat.of().parseHex("0002006f")).bytes(), STRING),
        // indirect calls to the TestService server
        c("v3 SET target", 3, 1, ROOT, rpcb(TS, 1, netid, uaddr(port), ""), BOOL),
        c("v2 CALLIT", 2, 5, RawRpcbind.NONE, callArgs(TS, 1, 1, add), result2).forwarded()
            .differs(t, Transport.TCP, OVER_TCP, "silent", "SUCCESS port " + port + " results 0000002a"),
        c("v3 CALLIT", 3, 5, RawRpcbind.NONE, callArgs(TS, 1, 1, add), result).forwarded()
            .differs(t, Transport.TCP, OVER_TCP, "silent", at + "0000002a"),
        c("v4 BCAST", 4, 5, RawRpcbind.NONE, callArgs(TS, 1, 1, add), result).forwarded()
            .differs(t, Transport.TCP, OVER_TCP, "silent", at + "0000002a"),
        c("v4 INDIRECT", 4, 10, RawRpcbind.NONE, callArgs(TS, 1, 1, add), result).forwarded()
            .differs(t, Transport.TCP, OVER_TCP, "silent", at + "0000002a"),
        c("v2 CALLIT version not registered", 2, 5, RawRpcbind.NONE, callArgs(TS, 2, 1, add), result2)
            .forwarded(),
        c("v4 INDIRECT version not registered", 4, 10, RawRpcbind.NONE, callArgs(TS, 2, 1, add), result)
            .forwarded()
            .differs(t, Transport.TCP, OVER_TCP, "silent", "PROG_MISMATCH 1..1"),
        c("v3 CALLIT unknown procedure", 3, 5, RawRpcbind.NONE, callArgs(TS, 1, 99, NOTHING), result)
            .forwarded(),
        c("v4 INDIRECT unknown procedure", 4, 10, RawRpcbind.NONE, callArgs(TS, 1, 99, NOTHING), result)
            .forwarded()
            .differs(t, Transport.UDP, OWN_STATUS, "SYSTEM_ERR", "PROC_UNAVAIL")
            .differs(t, Transport.TCP, OVER_TCP, "silent", "PROC_UNAVAIL"),
        c("v4 INDIRECT garbage for the target", 4, 10, RawRpcbind.NONE, callArgs(TS, 1, 1, new byte[4]),
            result).forwarded()
            .differs(t, Transport.UDP, OWN_STATUS, "SYSTEM_ERR", "GARBAGE_ARGS")
            .differs(t, Transport.TCP, OVER_TCP, "silent", "GARBAGE_ARGS"),
        c("v2 CALLIT program not registered", 2, 5, RawRpcbind.NONE, callArgs(p + 7, 1, 0, NOTHING), result2)
            .forwarded(),
        c("v4 INDIRECT program not registered", 4, 10, RawRpcbind.NONE, callArgs(p + 7, 1, 0, NOTHING),
            result).forwarded()
            .differs(t, Transport.TCP, OVER_TCP, "silent", "PROG_UNAVAIL"),
        c("v3 CALLIT rpcbind itself", 3, 5, RawRpcbind.NONE, callArgs(Portmap.PROGRAM, 3, 0, NOTHING),
            result).forwarded()
            .differs(t, Transport.TCP, OVER_TCP, "silent", "SUCCESS 127.0.0.1.0.111 results "),
        c("v4 INDIRECT rpcbind itself", 4, 10, RawRpcbind.NONE, callArgs(Portmap.PROGRAM, 4, 0, NOTHING),
            result).forwarded()
            .differs(t, Transport.TCP, OVER_TCP, "silent", "SUCCESS 127.0.0.1.0.111 results "),
        // refused whatever is registered, as a forwarded call comes from this machine (check_callit)
        c("v2 CALLIT portmap DUMP", 2, 5, RawRpcbind.NONE, callArgs(Portmap.PROGRAM, 2, 4, NOTHING), result2)
            .forwarded().differs(t, Transport.TCP, OVER_TCP, "silent", REFUSED),
        c("v4 INDIRECT rpcbind GETADDR", 4, 10, RawRpcbind.NONE, callArgs(Portmap.PROGRAM, 4, 3, NOTHING),
            result).forwarded().differs(t, Transport.TCP, OVER_TCP, "silent", REFUSED),
        c("v3 CALLIT mount MNT", 3, 5, RawRpcbind.NONE, callArgs(100005, 3, 1, NOTHING), result)
            .forwarded().differs(t, Transport.TCP, OVER_TCP, "silent", REFUSED),
        c("v4 BCAST nfs", 4, 5, RawRpcbind.NONE, callArgs(100003, 3, 1, NOTHING), result)
            .forwarded().differs(t, Transport.TCP, OVER_TCP, "silent", REFUSED),
        c("v4 INDIRECT nis MATCH", 4, 10, RawRpcbind.NONE, callArgs(100004, 2, 3, NOTHING), result)
            .forwarded().differs(t, Transport.TCP, OVER_TCP, "silent", REFUSED),
        c("v3 UNSET target", 3, 2, ROOT, rpcb(TS, 1, "", "", ""), BOOL),
        c("v4 GETSTAT", 4, 12, RawRpcbind.NONE, NOTHING, RenderedResults::stats));
  }

  /** Requests whose answers differ on purpose, and those that leave different entries behind. */
  private static List<Case> edges(Transport t) {
    int p = t == Transport.UDP ? 0x20000790 : 0x200007A0;
    String netid = t == Transport.UDP ? "udp" : "tcp";
    String other = t == Transport.UDP ? "tcp" : "udp";
    int proto = t == Transport.UDP ? Portmap.IPPROTO_UDP : Portmap.IPPROTO_TCP;
    Function<In, String> result2 = RenderedResults::callResult2;
    Function<In, String> result = RenderedResults::callResult;
    boolean udp = t == Transport.UDP;
    String garbage = udp ? null : "GARBAGE_ARGS";
    return List.of(
        c("RPC version 3", 2, 0, RawRpcbind.NONE, NOTHING, VOID).rpcVersion(3)
            .differs("libtirpc drops a call of another RPC version (its xdr_callmsg fails), and"
                + " closes a TCP connection; RFC 5531 wants RPC_MISMATCH", udp ? "silent" : "closed",
                "DENIED RPC_MISMATCH 2..2"),
        c("v3 SET", 3, 1, ROOT, rpcb(p, 1, netid, "127.0.0.1.4.1", ""), BOOL),
        c("v3 SET other netid", 3, 1, ROOT, rpcb(p, 1, other, "127.0.0.1.4.3", ""), BOOL),
        c("v3 GETADDR the other transport's netid", 3, 3, RawRpcbind.NONE, rpcb(p, 1, other, "", ""), STRING)
            .differs(ASKED_NETID, "SUCCESS 127.0.0.1.4.1", "SUCCESS 127.0.0.1.4.3"),
        c("v4 GETADDR unknown netid", 4, 3, RawRpcbind.NONE, rpcb(p, 1, "bogus", "", ""), STRING)
            .differs(ASKED_NETID, "SUCCESS 127.0.0.1.4.1", "SUCCESS "),
        c("v3 GETADDR netid longer than any", 3, 3, RawRpcbind.NONE, rpcb(p, 1, "n".repeat(40), "", ""), STRING)
            .differs(ASKED_NETID + "; a netid is at most 32 bytes", "SUCCESS 127.0.0.1.4.1", "GARBAGE_ARGS"),
        c("v3 GETADDR truncated", 3, 3, RawRpcbind.NONE, new Out().u32(p).u32(1).u32(64).bytes(), STRING)
            .differs(DECODES_ON, garbage, "GARBAGE_ARGS"),
        c("v2 GETPORT truncated", 2, 3, RawRpcbind.NONE, new Out().u32(p).bytes(), PORT)
            .differs(DECODES_ON, garbage, "GARBAGE_ARGS"),
        c("v3 SET truncated", 3, 1, ROOT, new Out().u32(p + 1).u32(6).bytes(), BOOL)
            .differs(DECODES_ON, garbage, "GARBAGE_ARGS"),
        c("v4 SET local socket, long path", 4, 1, ROOT, rpcb(p + 1, 3, "local", "/run/" + "a".repeat(100), ""),
            BOOL),
        c("v3 SET empty netid", 3, 1, ROOT, rpcb(p + 1, 4, "", "127.0.0.1.4.5", ""), BOOL)
            .differs(VALIDATES, "SUCCESS true", "SUCCESS false"),
        c("v3 SET empty address", 3, 1, ROOT, rpcb(p + 1, 4, netid, "", ""), BOOL)
            .differs(VALIDATES, "SUCCESS true", "SUCCESS false"),
        c("v3 SET not an address", 3, 1, ROOT, rpcb(p + 1, 5, netid, "nowhere", ""), BOOL)
            .differs(VALIDATES, "SUCCESS true", "SUCCESS false"),
        c("v2 SET protocol 99", 2, 1, ROOT, pmap(p + 1, 6, 99, 1235), BOOL),
        c("v2 SET port 0", 2, 1, ROOT, pmap(p + 1, 7, proto, 0), BOOL)
            .differs(VALIDATES, "SUCCESS true", "SUCCESS false"),
        c("v2 SET port 70000", 2, 1, ROOT, pmap(p + 1, 8, proto, 70000), BOOL)
            .differs(VALIDATES, "SUCCESS true", "SUCCESS false"),
        c("v3 UADDR2TADDR IPv6", 3, 7, RawRpcbind.NONE, new Out().string("::1.0.111").bytes(),
            RenderedResults::netbuf)
            .differs(TRANSPORT_FAMILY, "SUCCESS maxlen 0 ",
                "SUCCESS maxlen 28 0a00006f000000000000000000000000000000000000000100000000"),
        c("v3 UADDR2TADDR IPv4-mapped", 3, 7, RawRpcbind.NONE, new Out().string("::ffff:127.0.0.1.0.111").bytes(),
            RenderedResults::netbuf)
            .differs(TRANSPORT_FAMILY, "SUCCESS maxlen 0 ", "SUCCESS maxlen 16 0200006f7f0000010000000000000000"),
        c("v4 UADDR2TADDR port byte 999", 4, 7, RawRpcbind.NONE, new Out().string("127.0.0.1.0.999").bytes(),
            RenderedResults::netbuf)
            .differs(PORT_BYTES, "SUCCESS maxlen 16 020003e77f0000010000000000000000", "SUCCESS maxlen 0 "),
        c("v4 UADDR2TADDR IPv6 port byte 999", 4, 7, RawRpcbind.NONE, new Out().string("::1.0.999").bytes(),
            RenderedResults::netbuf),
        c("v4 UADDR2TADDR seven parts", 4, 7, RawRpcbind.NONE, new Out().string("1.2.3.4.5.6.7").bytes(),
            RenderedResults::netbuf),
        c("v4 UADDR2TADDR empty", 4, 7, RawRpcbind.NONE, new Out().string("").bytes(),
            RenderedResults::netbuf),
        c("v4 UADDR2TADDR leading zeros", 4, 7, RawRpcbind.NONE, new Out().string("127.0.0.001.0.111").bytes(),
            RenderedResults::netbuf),
        c("v4 UADDR2TADDR non-ASCII", 4, 7, RawRpcbind.NONE,
            new Out().opaque(HexFormat.of().parseHex("3132372ec3a92e302e302e302e313131")).bytes(),
            RenderedResults::netbuf),
        c("v3 TADDR2UADDR IPv6", 3, 8, RawRpcbind.NONE, new Out().u32(28).opaque(HexFormat.of().parseHex(
            "0a00006f000000000000000000000000000000000000000100000000")).bytes(), STRING)
            .differs(TRANSPORT_FAMILY, "SUCCESS 0.0.0.0.0.111", "SUCCESS ::1.0.111"),
        c("v3 TADDR2UADDR family in network order", 3, 8, RawRpcbind.NONE,
            new Out().u32(16).opaque(HexFormat.of().parseHex("0200006f7f0000010000000000000000")).bytes(), STRING),
        c("v4 TADDR2UADDR family 99", 4, 8, RawRpcbind.NONE,
            new Out().u32(16).opaque(HexFormat.of().parseHex("6300006f7f0000010000000000000000")).bytes(), STRING)
            .differs(TRANSPORT_FAMILY, "SUCCESS 127.0.0.1.0.111", "SUCCESS "),
        c("v2 CALLIT truncated", 2, 5, RawRpcbind.NONE, new Out().u32(TS).u32(1).bytes(), result2).forwarded(),
        c("v4 BCAST truncated", 4, 5, RawRpcbind.NONE, new Out().u32(TS).u32(1).bytes(), result).forwarded(),
        c("v4 INDIRECT truncated", 4, 10, RawRpcbind.NONE, new Out().u32(TS).u32(1).bytes(), result)
            .forwarded().differs(udp ? DECODES_ON : OVER_TCP, udp ? null : "silent", "GARBAGE_ARGS"));
  }
}
