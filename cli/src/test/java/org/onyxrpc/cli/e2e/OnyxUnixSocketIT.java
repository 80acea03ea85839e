package org.onyxrpc.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.health.HealthService;
import org.onyxrpc.health.ServingStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.transport.UnixSocketAddress;

/**
 * The command over Unix-domain sockets: an Onyx calculator listens on a socket file in a temp
 * directory (registered, as netid {@code local}, in an {@code onyx directory} process that also
 * answers on its own Unix socket) and another on a Linux abstract name; call, ping and list
 * reach them by {@code unix:PATH}, {@code unix:@NAME} or {@code --transport unix} and the
 * directory, and what cannot work over a Unix socket is refused before anything is sent.
 */
class OnyxUnixSocketIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADD = "{\"a\": 2, \"b\": 40}";

  @TempDir static Path work;
  private static OnyxJar.Started directory;
  private static String directoryPort;
  private static RemoteDirectory remote;
  private static RpcServer calculator;
  private static RpcServer anonymous;
  private static Path socket;
  private static String abstractName;

  @BeforeAll
  static void start() throws Exception {
    Files.copy(Path.of("src/test/idl/calculator.idl"), work.resolve("calculator.idl"));
    directory = OnyxJar.start("directory", "--port", "0", "--bind", "127.0.0.1",
        "--local-socket", work.resolve("rpcbind.sock").toString());
    assertTrue(directory.firstLine().matches("onyx directory on port \\d+"), directory.firstLine());
    directoryPort = directory.firstLine().substring("onyx directory on port ".length());
    remote = RemoteDirectory.at("127.0.0.1", Integer.parseInt(directoryPort));
    HealthService health = new HealthService();
    health.set(Calculator.NAME, ServingStatus.SERVING);
    socket = work.resolve("calc.sock");
    calculator = Calculator.serve(remote, health, b -> b.unixSocket(socket));
    Calculator.awaitListed(calculator, remote);
    abstractName = "onyx-cli-it-" + ProcessHandle.current().pid();
    anonymous = Calculator.serve(Directory.none(), health, b -> b.unixSocket(UnixSocketAddress.abstractName(abstractName)));
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {anonymous, calculator, remote, directory}) {
      if (c != null) {
        c.close();
      }
    }
  }

  private static OnyxJar.Result onyx(String... args) throws Exception {
    return OnyxJar.run(work, args);
  }

  private static OnyxJar.Result add(String target, String... more) throws Exception {
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(
        "call", target, "Calculator.add", "--idl", "calculator.idl", "-d", ADD));
    args.addAll(java.util.List.of(more));
    return onyx(args.toArray(String[]::new));
  }

  @Test
  void callsBySocketPathAndAbstractName() throws Exception {
    OnyxJar.Result absolute = add("unix:" + socket);
    assertEquals(0, absolute.exit(), absolute::describe);
    assertEquals("42\n", absolute.out());
    OnyxJar.Result relative = add("unix:calc.sock", "--transport", "unix"); // onyx runs in work/
    assertEquals("42\n", relative.out(), relative::describe);
    OnyxJar.Result named = add("unix:@" + abstractName, "--auth-sys", "--repeat", "2");
    assertEquals("42\n42\n", named.out(), named::describe);

    OnyxJar.Result divide = onyx("call", "unix:" + socket, "Calculator.divide", "--idl", "calculator.idl",
        "-d", "{\"a\": 1, \"b\": 0}");
    assertEquals(3, divide.exit(), divide::describe);
    assertEquals("DivideByZero", JSON.readTree(divide.out()).get("exception").textValue());
  }

  @Test
  void callFindsTheSocketInTheDirectory() throws Exception {
    OnyxJar.Result r = add("127.0.0.1", "--transport", "unix", "--rpcbind-port", directoryPort);
    assertEquals(0, r.exit(), r::describe);
    assertEquals("42\n", r.out());
  }

  @Test
  void pingsASocketWithHealth() throws Exception {
    OnyxJar.Result r = onyx("ping", "unix:" + socket, "0x20000101", "--health=" + Calculator.NAME);
    assertEquals(0, r.exit(), r::describe);
    String[] lines = r.out().split("\n");
    assertTrue(lines[0].matches("program 0x20000101 version 1 ready and waiting \\(local "
        + Pattern.quote(socket.toString()) + ", [0-9.]+ ms\\)"), r.out());
    assertEquals("health of " + Calculator.NAME + ": SERVING", lines[1]);

    OnyxJar.Result byDirectory = onyx("ping", "127.0.0.1", Calculator.NAME, "--transport", "unix",
        "--rpcbind-port", directoryPort);
    assertEquals(0, byDirectory.exit(), byDirectory::describe);
    assertTrue(byDirectory.out().startsWith("program 0x20000101 version 1 ready and waiting (local " + socket + ", "),
        byDirectory.out());
  }

  @Test
  void listsTheDirectoryOverItsUnixSocket() throws Exception {
    OnyxJar.Result r = onyx("list", "unix:rpcbind.sock", "--json");
    assertEquals(0, r.exit(), r::describe);
    JsonNode local = null;
    for (JsonNode e : JSON.readTree(r.out())) {
      if (e.path("name").asText().equals(Calculator.NAME)) {
        local = e;
      }
    }
    assertTrue(local != null, r.out());
    assertEquals("local", local.get("netid").textValue());
    assertEquals(socket.toString(), local.get("address").textValue());
    assertTrue(local.get("leaseLeftMs").longValue() > 0, r.out());

    OnyxJar.Result table = onyx("list", "unix:" + work.resolve("rpcbind.sock"));
    assertTrue(table.out().lines().anyMatch(l -> l.matches(
        " *536871169  1 +local +" + Pattern.quote(socket.toString()) + " +\\S+ +\\d+\\.\\ds +" + Calculator.NAME)),
        table::describe);
  }

  @Test
  void whatCannotCrossToAUnixSocketIsRefused() throws Exception {
    OnyxJar.Result inProcess = add("unix:" + socket, "--transport", "in-process");
    assertEquals(2, inProcess.exit(), inProcess::describe);
    assertTrue(inProcess.err().contains("in-process reaches servers in the caller's own JVM only"), inProcess::describe);

    OnyxJar.Result tls = add("unix:" + socket, "--tls");
    assertEquals(2, tls.exit(), tls::describe);
    assertTrue(tls.err().contains("--tls needs --transport tcp: the runtime has no TLS over Unix-domain sockets"),
        tls::describe);
    OnyxJar.Result pingTls = onyx("ping", "unix:" + socket, "0x20000101", "--tls-server-name", "calc");
    assertEquals(2, pingTls.exit(), pingTls::describe);

    OnyxJar.Result udp = add("unix:" + socket, "--transport", "udp");
    assertEquals(2, udp.exit(), udp::describe);
    assertTrue(udp.err().contains("--transport udp cannot reach unix:" + socket), udp::describe);

    OnyxJar.Result port = add("127.0.0.1:" + directoryPort, "--transport", "unix");
    assertEquals(2, port.exit(), port::describe);
    assertTrue(port.err().contains("--transport unix reaches no port"), port::describe);

    OnyxJar.Result byName = onyx("ping", "unix:" + socket, Calculator.NAME);
    assertEquals(2, byName.exit(), byName::describe);
    assertTrue(byName.err().contains("a unix: target is pinged by PROGRAM number"), byName::describe);

    OnyxJar.Result listHost = onyx("list", "127.0.0.1", "--transport", "unix");
    assertEquals(2, listHost.exit(), listHost::describe);
    assertTrue(listHost.err().contains("unix:/run/rpcbind.sock"), listHost::describe);
  }

  @Test
  void aSocketNobodyListensOnIsUnavailable() throws Exception {
    OnyxJar.Result r = add("unix:nobody.sock");
    assertEquals(4, r.exit(), r::describe);
    assertEquals("UNAVAILABLE", JSON.readTree(r.out()).get("error").textValue());

    OnyxJar.Result ping = onyx("ping", "unix:nobody.sock", "0x20000101", "1");
    assertEquals(4, ping.exit(), ping::describe);
    assertTrue(ping.out().startsWith("program 0x20000101 version 1 is not available (local nobody.sock): UNAVAILABLE"),
        ping::describe);

    OnyxJar.Result noLocal = onyx("ping", "127.0.0.1", "0x20000102", "1", "--transport", "unix",
        "--rpcbind-port", directoryPort);
    assertEquals(4, noLocal.exit(), noLocal::describe);
    assertTrue(noLocal.out().contains("is not registered over a Unix socket (netid local) with the directory of 127.0.0.1"),
        noLocal::describe);
  }
}
