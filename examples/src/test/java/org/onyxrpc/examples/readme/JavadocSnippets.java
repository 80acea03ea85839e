package org.onyxrpc.examples.readme;

import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.remote.DirectoryClient;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.directory.rpcbind.DirectoryServer;
import org.onyxrpc.examples.calculator.CalculatorServer;
import org.onyxrpc.examples.calculator.CalculatorV1;
import org.onyxrpc.examples.calculator.CalculatorV1.AddArgs;
import org.onyxrpc.health.Health;
import org.onyxrpc.health.HealthClient;
import org.onyxrpc.health.HealthService;
import org.onyxrpc.health.ServingStatus;
import org.onyxrpc.logging.CallLogging;
import org.onyxrpc.mq.MessageQueue;
import org.onyxrpc.mq.MessageQueues;
import org.onyxrpc.mq.OpenOptions;
import org.onyxrpc.mq.QueueAttributes;
import org.onyxrpc.mq.QueueServer;
import org.onyxrpc.mq.ReceivedMessage;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Credentials;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.server.CallScope;
import org.onyxrpc.server.CertificateAuthenticator;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.server.TlsMode;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.transport.UnixSocketAddress;

/**
 * The code examples of the runtime's and mq's Javadoc ({@code <pre>{@code ...}</pre>} in their
 * public packages), one method each, as a user pastes them: {@code JavadocSnippetsTest} finds each
 * example's lines here, and this class compiling is the check that they name only types and
 * methods that exist. A snippet's free names (a service, a procedure, arguments) are the method's
 * parameters. Nothing calls these methods (they would take fixed ports and files).
 */
@SuppressWarnings("unused")
final class JavadocSnippets {
  private JavadocSnippets() {}

  /** The implementation the examples bind, by the name they give it. */
  private static final class MyCalculator implements CalculatorV1.Calculator {
    private final CalculatorServer delegate = new CalculatorServer();

    @Override
    public long add(long a, long b) {
      return delegate.add(a, b);
    }

    @Override
    public long divide(long a, long b) throws org.onyxrpc.examples.calculator.DivideByZero {
      return delegate.divide(a, b);
    }

    @Override
    public org.onyxrpc.examples.calculator.Parity parity(long value) {
      return delegate.parity(value);
    }
  }

  // RpcServer
  static void rpcServer() throws Exception {
    RpcServer server = RpcServer.builder()
        .port(4711)
        .addService(CalculatorV1.bind(new MyCalculator()))
        .build()
        .start();
    server.close(); // stops accepting, lets calls in flight finish, then closes
  }

  // RpcServerBuilder
  static void rpcServerBuilder(ServiceDefinition service) throws Exception {
    RpcServer server = RpcServer.builder()
        .port(0)                              // any free port; read it with server.port()
        .transports(Transport.TCP)            // default: TCP and UDP on the same port (TCP alone
                                              // with tls(..., TlsMode.REQUIRE))
        .directExecutor()                     // run non-blocking procedures on the I/O thread
        .maxConcurrentCallsPerConnection(64)
        .addService(service)
        .build()
        .start();
  }

  // RpcServerBuilder.unixSocket
  static void serverUnixSocket() throws Exception {
    RpcServer server = RpcServer.builder()
        .unixSocket(UnixSocketAddress.of(Path.of("/run/calc/calc.sock")))  // or parse("@calc")
        .addService(CalculatorV1.bind(new MyCalculator()))
        .build()
        .start();
  }

  // CertificateAuthenticator
  static void certificateAuthenticator(SslContext serverContext, int LEDGER, int BALANCE,
      ServiceDefinition ledger) {
    RpcServer server = RpcServer.builder()
        .tls(serverContext, TlsMode.REQUIRE)    // serverContext asks for client certificates
        .authenticator(CertificateAuthenticator.builder()
            .allowSubject("CN=billing,O=Example", CallScope.program(LEDGER))
            .allowDnsName("reports.example.com", CallScope.procedure(LEDGER, 1, BALANCE))
            .allowUri("spiffe://example.com/audit", CallScope.version(LEDGER, 1))
            .allowWithoutCertificate(CallScope.program(Health.PROGRAM))
            .build())
        .addService(ledger)
        .build();
  }

  // ServiceDefinition
  static void serviceDefinition(Procedure<AddArgs, Long> ADD, Procedure<String, Void> LOG) {
    ServiceDefinition calculator = ServiceDefinition.builder(0x20000101, 1)
        .procedure(ADD, (args, ctx) -> args.a() + args.b())
        .oneway(LOG, (line, ctx) -> { System.out.println(line); return null; })
        .build();
  }

  // CallLogging
  static void callLogging(ServiceDefinition service) {
    RpcClient client = RpcClient.builder().address("localhost", 4711)
        .intercept(CallLogging.client()).build();
    RpcServer server = RpcServer.builder().port(4711).addService(service)
        .intercept(CallLogging.server()).build();
  }

  // HealthService
  static void healthService(CalculatorV1.Calculator impl) throws Exception {
    HealthService health = new HealthService();
    RpcServer server = RpcServer.builder().port(4711)
        .addService(CalculatorV1.bind(impl))
        .addService(health.definition())
        .build().start();
    health.set("org.onyxrpc.examples.calculator.Calculator", ServingStatus.SERVING);
    health.set("", ServingStatus.NOT_SERVING);   // draining before shutdown
  }

  // HealthClient
  static void healthClient() {
    try (RpcClient rpc = RpcClient.builder().address("localhost", 4711).build()) {
      if (HealthClient.check(rpc, "org.onyxrpc.examples.calculator.Calculator") == ServingStatus.SERVING) {
        return;
      }
    }
  }

  // UnixSocketAddress
  static void unixSocketAddress() {
    UnixSocketAddress file = UnixSocketAddress.of(Path.of("/run/user/1000/calc.sock"));
    UnixSocketAddress name = UnixSocketAddress.parse("@calc");    // Linux abstract namespace
  }

  // Directory
  static void directory() throws Exception {
    Directory here = Directory.embedded();                    // this process (the default)
    Directory host = RemoteDirectory.at("db7.example.com");    // an Onyx directory or rpcbind on port 111
    List<ServiceInstance> calculators = host.lookup("com.example.calc.Calculator");
  }

  // DirectoryServer
  static void directoryServer() throws Exception {
    DirectoryServer directory = DirectoryServer.builder()
        .bind(InetAddress.getLoopbackAddress(), 111)
        .directory(Directory.embedded())   // serve this process's directory (the default)
        .build()
        .start();
  }

  // DirectoryClient
  static void directoryClient() {
    try (DirectoryClient calculator = DirectoryClient.builder()
        .directory(RemoteDirectory.at("localhost"))
        .service("com.example.calc.Calculator")
        .clientOptions(b -> b.timeout(Duration.ofSeconds(5)))
        .build()) {
      long sum = calculator.call(CalculatorV1.ADD, new AddArgs(2, 40));
      CalculatorV1.Calculator typed = CalculatorV1.newClient(calculator); // a generated stub
    }
  }

  // RemoteDirectory
  static void remoteDirectory() {
    RemoteDirectory host = RemoteDirectory.at("db7.example.com");   // port 111
    Directory directory = RemoteDirectory.builder()
        .address("127.0.0.1", 111)
        .timeout(Duration.ofSeconds(5))
        .build();
  }

  // RpcClient
  static void rpcClient(AddArgs args) {
    try (RpcClient client = RpcClient.builder().address("localhost", 4711).build()) {
      long sum = client.call(CalculatorV1.ADD, new AddArgs(2, 3));             // waits
      CompletableFuture<Long> later = client.callAsync(CalculatorV1.ADD, args); // does not
    }
  }

  // RpcClientBuilder
  static void rpcClientBuilder() {
    RpcClient client = RpcClient.builder()
        .address("localhost", 4711)
        .transport(Transport.TCP)              // the default
        .timeout(Duration.ofSeconds(5))        // each call's deadline; default 25 s
        .attemptTimeout(Duration.ofMillis(500)) // before a retransmission; default 1 s
        .credentials(new AuthSys(0, "host", 1000, 100, new int[0]))
        .build();
  }

  // RpcClientBuilder.unixSocket
  static void clientUnixSocket() {
    RpcClient client = RpcClient.builder()
        .unixSocket(UnixSocketAddress.of(Path.of("/run/calc/calc.sock")))  // or parse("@calc")
        .build();
  }

  // CallOptions
  static void callOptions(RpcClient client, Procedure<AddArgs, Long> ADD, AddArgs args,
      Procedure<String, Void> LOG, String line, Procedure<String, String> GET, String key,
      int BEARER, byte[] token) {
    client.call(ADD, args, CallOptions.DEFAULT.withDeadline(Duration.ofMillis(200)));
    client.call(LOG, line, CallOptions.DEFAULT.withSemantics(CallSemantics.MAYBE));
    client.call(GET, key, CallOptions.DEFAULT.withCredentials(Credentials.opaque(BEARER, token)));
  }

  // ClientInterceptor
  static void clientInterceptor() {
    RpcClient client = RpcClient.builder().address("localhost", 4711)
        .intercept(call -> call.metadata().put("tenant", "blue"))
        .build();
  }

  // MessageQueues
  static void messageQueues(int port, int uid, int gid) {
    RpcClient rpc = RpcClient.builder().address("queues.example", port)
        .credentials(new AuthSys(0, "myhost", uid, gid, new int[0]))   // who the caller is
        .build();
    MessageQueue orders = MessageQueues.open(rpc, "/orders",
        OpenOptions.create(0640, QueueAttributes.of(100, 8192)).exclusive());
    MessageQueues.unlink(rpc, "/orders");
  }

  // QueueServer
  static void queueServer() throws Exception {
    QueueServer queues = QueueServer.builder().dataDirectory(Path.of("/var/lib/onyx-mq")).build();
    RpcServer server = RpcServer.builder().port(0).addService(queues.service()).build().start();
    // ... queues.close(); server.close();   (queues first: it answers the waiting calls)
  }

  // OpenOptions: its example is two expressions, each ending in a comment, so the semicolons
  // stand on lines of their own
  static void openOptions() {
    OpenOptions create =
        OpenOptions.create(0640, QueueAttributes.of(10, 8192)).exclusive()   // O_RDWR|O_CREAT|O_EXCL
        ;
    OpenOptions existing =
        OpenOptions.existing().readOnly().nonBlocking()                      // O_RDONLY|O_NONBLOCK
        ;
  }

  // MessageQueue
  static void messageQueue(RpcClient rpc, byte[] bytes) throws Exception {
    try (MessageQueue orders = MessageQueues.open(rpc, "/orders",
        OpenOptions.create(0640, QueueAttributes.of(100, 8192)))) {
      orders.send(bytes, 5);                                   // mq_send
      ReceivedMessage m = orders.receive(Duration.ofSeconds(2)); // mq_timedreceive
    }
  }
}
