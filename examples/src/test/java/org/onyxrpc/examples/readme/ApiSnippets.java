package org.onyxrpc.examples.readme;

import io.netty.buffer.ByteBuf;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.ClientTls;
import org.onyxrpc.client.IoStrategy;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.remote.DirectoryClient;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.directory.rpcbind.DirectoryServer;
import org.onyxrpc.examples.calculator.CalculatorServer;
import org.onyxrpc.examples.calculator.CalculatorV1;
import org.onyxrpc.health.HealthClient;
import org.onyxrpc.health.HealthService;
import org.onyxrpc.health.ServingStatus;
import org.onyxrpc.mq.MessageQueue;
import org.onyxrpc.mq.MessageQueues;
import org.onyxrpc.mq.OpenOptions;
import org.onyxrpc.mq.QueueAttributes;
import org.onyxrpc.mq.QueueServer;
import org.onyxrpc.mq.ReceivedMessage;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.Authenticator;
import org.onyxrpc.server.CallScope;
import org.onyxrpc.server.CertificateAuthenticator;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.server.TlsMode;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * The Java snippets of README.md, mq/README.md and cli/README.md that no example runs, as a user
 * pastes them: {@code ReadmeSnippetsTest} finds each block here, and this class compiling is the
 * check that they name only types and methods that exist. Nothing calls these methods (they would
 * take fixed ports and files); what each snippet does is tested where its README says.
 */
@SuppressWarnings("unused")
final class ApiSnippets {
  private static final int MAX_BLOB = 1 << 20;
  private static final int PROGRAM = CalculatorV1.PROGRAM;
  private static final int VERSION = CalculatorV1.VERSION;
  private static final int HEALTH = 0x4F4E5948;

  private ApiSnippets() {}

  // README.md, "Without the IDL: the runtime API": declarations here, their use below
  record Operands(long a, long b) {
    static final XdrCodec<Operands> CODEC = XdrCodecs.of(
        (out, o) -> { out.writeHyper(o.a()); out.writeHyper(o.b()); },
        in -> {
          in.countObject(2); // the record and its 2 fields, charged to the server's limits
          return new Operands(in.readHyper(), in.readHyper());
        });
  }
  static final Procedure<Operands, Long> ADD =
      new Procedure<>(0x20000101, 1, 1, "Calculator.add", Operands.CODEC, XdrCodecs.HYPER);
  static final XdrCodec<ByteBuf> BLOB = XdrCodecs.of(
      (out, data) -> out.writeOpaque(data, MAX_BLOB), // its readable bytes; left as they were
      in -> in.readOpaqueSlice(MAX_BLOB));            // a retained slice: the caller releases it
  static final Procedure<ByteBuf, ByteBuf> TRANSFORM =
      new Procedure<>(0x20000101, 1, 2, "Blobs.transform", BLOB, BLOB);

  // README.md, "Virtual threads": Java 17 has no newVirtualThreadPerTaskExecutor, so it is given
  static void virtualThreads(ExecutorService procedures) throws Exception {
    // procedures: Executors.newVirtualThreadPerTaskExecutor(), on JDK 21 and later
    RpcServer server = RpcServer.builder().port(4711)
        .executor(procedures)
        .maxConcurrentCalls(10_000)
        .maxConcurrentCallsPerConnection(10_000)
        .addService(CalculatorV1.bind(new CalculatorServer()))
        .build();
  }

  static void withoutTheIdl() throws Exception {
    // Server: any number of program versions on one port, TCP and UDP.
    RpcServer server = RpcServer.builder()
        .port(4711)
        .addService(ServiceDefinition.builder(0x20000101, 1)
            .procedure(ADD, (o, ctx) -> o.a() + o.b())
            .build())
        .build()
        .start();

    // Client: thread-safe, many calls outstanding on one connection.
    try (RpcClient client = RpcClient.builder().address("localhost", 4711).build()) {
      long sum = client.call(ADD, new Operands(2, 40));                       // waits
      CompletableFuture<Long> later = client.callAsync(ADD, new Operands(1, 2)); // does not
    }
  }

  // README.md, "Write your own service in five minutes": its imports block; each class used here
  static void imports(String host, int port) throws Exception {
    try (RpcClient udp = RpcClient.builder().address(host, port).transport(Transport.UDP).build()) {
      CalculatorV1.newClient(udp).add(2, 40);
    } catch (RpcException e) {
      boolean nothingRan = e.status() == RpcStatus.UNAVAILABLE;
    }
    DirectoryServer.builder().port(111).build().start().close();
  }

  static void buffers(RpcClient client, ByteBuf data) {
    ByteBuf result = client.call(TRANSFORM, data); // leave data unchanged until the call has ended
    try {
      consume(result);
    } finally {
      result.release(); // it keeps the bytes of its reply alive until then
    }
  }

  private static void consume(ByteBuf result) {}

  // README.md, "Who does a client's I/O"
  static void callerRuns() {
    RpcClient client = RpcClient.builder().address("localhost", 4711)
        .ioStrategy(IoStrategy.CALLER_RUNS)
        .build();
  }

  // README.md, "Failure semantics"
  static void semantics(RpcClient client, Operands args) {
    client.call(ADD, args);                                                   // the procedure's promise
    client.call(ADD, args, CallOptions.DEFAULT.withSemantics(CallSemantics.MAYBE));
    client.call(ADD, args, CallOptions.DEFAULT.withDeadline(Duration.ofMillis(200)));
    CalculatorV1.newClient(client, CallOptions.DEFAULT.withDeadline(Duration.ofMillis(200))); // a stub's calls
    RpcClient.builder().timeout(Duration.ofSeconds(5))       // every call's deadline (default 25 s)
        .attemptTimeout(Duration.ofMillis(200));             // first retransmission after (default 1 s)
  }

  // README.md, "Security"
  static void tls(File serverCert, File serverKey, File caCert, File clientCert, File clientKey, int port,
      ServiceDefinition service, Authenticator authenticator) throws Exception {
    SslContext serverContext = SslContextBuilder.forServer(serverCert, serverKey)
        .trustManager(caCert).clientAuth(ClientAuth.REQUIRE).build();
    RpcServer server = RpcServer.builder().port(port).addService(service)
        .tls(serverContext, TlsMode.REQUIRE)
        .authenticator(authenticator)
        .build().start();

    SslContext clientContext = SslContextBuilder.forClient()
        .trustManager(caCert).keyManager(clientCert, clientKey).build();
    RpcClient client = RpcClient.builder().address("localhost", server.port())
        .tls(ClientTls.of(clientContext, PROGRAM, VERSION))
        .build();
  }

  static void certificates() {
    CertificateAuthenticator authenticator = CertificateAuthenticator.builder()
        .allowSubject("CN=readme", CallScope.program(PROGRAM))      // or allowDnsName, allowUri
        .allowWithoutCertificate(CallScope.program(HEALTH))         // anyone may ask for health
        .build();                                                   // everything else: AUTH_ERROR
  }

  // README.md, "Directory"
  static void directory(ServiceDefinition legacy) throws Exception {
    // Server: registers every program version it serves, under the IDL's service name too (the
    // generated bind() names it: CalculatorV1.SERVICE_NAME), renews the lease, withdraws on close.
    RpcServer server = RpcServer.builder()
        .directory(RemoteDirectory.at("localhost"))         // default: Directory.embedded()
        .addService(CalculatorV1.bind(new CalculatorServer()))
        .addService(legacy)                                 // a hand-written definition, program 0x20000102
        .serviceName(0x20000102, "com.example.Legacy")      // its name (build() refuses a name no service serves)
        .build()
        .start();

    // Client: finds every live instance by name (or by program and version, like clnt_create),
    // spreads calls round robin, refreshes on failure, drops instances that stop answering.
    try (RemoteDirectory directory = RemoteDirectory.at("localhost");   // default: Directory.embedded()
        DirectoryClient calc = DirectoryClient.builder()
            .directory(directory)
            .service(CalculatorV1.SERVICE_NAME)             // or .program(0x20000101, 1)
            .clientOptions(b -> b.timeout(Duration.ofSeconds(5)))
            .build()) {
      long sum = calc.call(ADD, new Operands(2, 40));
      // Typed stubs work over either: a DirectoryClient is an RpcCaller, as an RpcClient is.
      long same = CalculatorV1.newClient(calc).add(2, 40);
    }

    // Or one plain client, its server found as clnt_create finds it (an instance of the program version):
    RpcClient client = RpcClient.builder().directory(Directory.embedded(), 0x20000101, 1).build();
  }

  // mq/README.md
  static void queues(int port, int uid, int gid, int[] groups, byte[] bytes) throws Exception {
    // Server: the queue service inside any RpcServer; registered in its directory as
    // QueueServer.SERVICE_NAME, "org.onyxrpc.mq.MessageQueueService" (and program
    // QueueServer.PROGRAM, version 1): the name `onyx list` shows and `onyx ping HOST NAME` finds.
    QueueServer queues = QueueServer.builder()
        .dataDirectory(Path.of("/var/lib/onyx-mq"))      // only for durable queues
        .build();
    RpcServer server = RpcServer.builder().port(0).addService(queues.service()).build().start();
    // ... queues.close(); server.close();               // the queues first: they answer waiting calls

    // Client: the caller's identity is its RpcClient's credentials.
    RpcClient rpc = RpcClient.builder().address("queues.example", port)
        .credentials(new AuthSys(0, "myhost", uid, gid, groups))
        .build();
    try (MessageQueue orders = MessageQueues.open(rpc, "/orders",
        OpenOptions.create(0640, QueueAttributes.of(100, 8192)).exclusive())) {
      orders.send(bytes, 5);                                    // mq_send
      ReceivedMessage m = orders.receive(Duration.ofSeconds(2)); // mq_timedreceive
      CompletableFuture<ReceivedMessage> next = orders.receiveAsync();
    }
  }

  // cli/README.md, "Health"
  static void health(CalculatorV1.Calculator impl, RpcClient rpcClient) throws Exception {
    HealthService health = new HealthService();          // "" (the whole server) is SERVING
    RpcServer server = RpcServer.builder().port(4711)
        .addService(CalculatorV1.bind(impl))
        .addService(health.definition())
        .build().start();
    health.set("org.onyxrpc.examples.calculator.Calculator", ServingStatus.SERVING);
    ServingStatus s = HealthClient.check(rpcClient, "org.onyxrpc.examples.calculator.Calculator");
  }
}
