package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.xdr.Xdr;
import org.onyxrpc.xdr.XdrCodecs;

/** What a peer's garbage puts in the log: one short line, whatever it sent. */
class LoggedComplaintTest {
  @Test
  void garbageInsteadOfTlsIsNotCopiedIntoTheLog() {
    // Netty's message for bytes that are not TLS: all of them, in hex.
    String hex = ByteBufUtil.hexDump(new byte[64 * 1024]);
    String line = TlsHandshakeWords.complaint(new NotSslRecordException("not an SSL/TLS record: " + hex));
    assertTrue(line.length() < 500, line.length() + " characters"); // the message cut, and where it was thrown
    assertTrue(line.startsWith("not an SSL/TLS record: 0000"), line);
    assertTrue(line.endsWith("(" + (23 + hex.length()) + " characters)"), line);
    assertEquals("record too large", TlsHandshakeWords.complaint(new DecoderException("record too large")));
  }

  /**
   * A procedure's exception that quotes its caller's arguments (here 200,000 characters of a
   * name it did not find): the WARN line once an interval says its class and the message's
   * beginning and length, not the whole of what the caller sent. Fails before: the line quoted
   * the exception's toString(), all 200,050 characters of it.
   */
  @Test
  void aProcedureFailureQuotingItsCallerIsCutShort() {
    String sent = "x".repeat(200_000);
    String line = ProcedureRunner.loggable(new IllegalArgumentException("no such name: " + sent));
    assertTrue(line.length() < 500, line.length() + " characters"); // the message cut, and where it was thrown
    assertTrue(line.startsWith("java.lang.IllegalArgumentException: no such name: xxx"), line);
    assertTrue(line.contains("(200014 characters) (at "), line);
    assertEquals("java.lang.IllegalStateException: boom",
        ProcedureRunner.loggable(withoutStack(new IllegalStateException("boom"))));
    assertEquals("java.lang.NullPointerException", ProcedureRunner.loggable(withoutStack(new NullPointerException())));
    assertEquals("java.lang.IllegalStateException: line\\x0aforged",
        ProcedureRunner.loggable(withoutStack(new IllegalStateException("line\nforged"))));
  }

  private static Throwable withoutStack(Throwable t) {
    t.setStackTrace(new StackTraceElement[0]);
    return t;
  }

  /**
   * A procedure's exception is logged in one line, without its stack trace: the line says where
   * it was thrown, the first frame outside the JDK, so that a bug in a procedure can be found
   * from it (an NPE that Objects.requireNonNull throws, at its caller). Fails before: the line
   * said 'java.lang.NullPointerException: no name' and nothing of where.
   */
  @Test
  void aProcedureFailureSaysWhereItWasThrown() {
    String line = ProcedureRunner.loggable(lookUp(null));
    assertTrue(line.startsWith("java.lang.NullPointerException: no name (at org.onyxrpc.server.LoggedComplaintTest.lookUp(LoggedComplaintTest.java:"),
        line);
    StackTraceElement[] jdkOnly = {new StackTraceElement("java.util.Objects", "requireNonNull", "Objects.java", 233)};
    Throwable inTheJdk = new NullPointerException();
    inTheJdk.setStackTrace(jdkOnly);
    assertEquals("java.lang.NullPointerException (at java.util.Objects.requireNonNull(Objects.java:233))",
        ProcedureRunner.loggable(inTheJdk));
  }

  private static NullPointerException lookUp(String name) {
    try {
      java.util.Objects.requireNonNull(name, "no name");
      throw new AssertionError("not thrown");
    } catch (NullPointerException e) {
      return e;
    }
  }

  /**
   * A value type that refuses what it decoded, quoting it (here a name of 100,000 characters):
   * the caller gets GARBAGE_ARGS, and the server's WARN line says the refusal's beginning and
   * length, not the whole of what the caller sent. Fails before: the line quoted the exception's
   * toString() whole, over 100,000 characters.
   */
  @Test
  void aValueTypesRefusalQuotingTheCallerIsLoggedCutShort() throws Exception {
    Procedure<String, Void> named = new Procedure<>(0x20000A11, 1, 1, "Named.call",
        XdrCodecs.of((out, name) -> out.writeString(name, Xdr.UNBOUNDED), in -> {
          String name = in.readString(Xdr.UNBOUNDED);
          throw new IllegalArgumentException("not a name: " + name);
        }), XdrCodecs.VOID);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try (RpcServer server = RpcServer.builder().port(0)
            .addService(ServiceDefinition.builder(0x20000A11, 1).procedure(named, (n, ctx) -> null)
                .build()).build().start();
        RpcClient client = RpcClient.builder().address("127.0.0.1", server.port()).build()) {
      RpcException e = assertThrows(RpcException.class,
          () -> client.call(named, "x".repeat(100_000)));
      assertEquals(RpcStatus.GARBAGE_ARGS, e.status());
    } finally {
      System.setErr(stderr);
    }
    List<String> lines = err.toString(StandardCharsets.UTF_8).lines()
        .filter(l -> l.contains("garbage arguments for")).toList();
    assertEquals(1, lines.size(), () -> RateLimitedLog.shortText(lines.toString()));
    assertTrue(lines.get(0).length() < 600, lines.get(0).length() + " characters");
    assertTrue(lines.get(0).contains("java.lang.IllegalArgumentException: not a name: "
        + "x".repeat(RateLimitedLog.MAX_MESSAGE - 12) + "... (100012 characters) (at org.onyxrpc.server.LoggedComplaintTest.lambda$"),
        lines.get(0));
  }

  /**
   * Fails before: the line said "javax.net.ssl.SSLHandshakeException: Received fatal alert:
   * certificate_unknown", which reads as the client's certificate being unknown, when it is the
   * client that refused this server's (another CA, another host name, out of its dates).
   */
  @Test
  void aHandshakeFailureSaysWhoseCertificateItWasAbout() {
    assertEquals("TLS handshake failed: the client refused this server's certificate (is it issued by"
        + " an authority the client trusts, for the name the client called, and within its dates?)"
        + " (Received fatal alert: certificate_unknown)",
        TlsHandshakeWords.complaint(new DecoderException(
            new SSLHandshakeException("Received fatal alert: certificate_unknown"))));
    assertEquals("TLS handshake failed: the client sent no certificate, and this server requires one"
        + " (Empty client certificate chain)",
        TlsHandshakeWords.complaint(new DecoderException(
            new SSLHandshakeException("Empty client certificate chain"))));
    // Fails before (the provider's words alone): a JDK client that cannot verify this server's
    // handshake signature, as when the server's key file is another certificate's, sends
    // handshake_failure; RFC 8446's alert for that is decrypt_error.
    assertEquals("TLS handshake failed: the client could not verify this server's handshake signature"
        + " (is this server's private key its certificate's?) (Received fatal alert: decrypt_error)",
        TlsHandshakeWords.complaint(new DecoderException(
            new SSLHandshakeException("Received fatal alert: decrypt_error"))));
    assertEquals("TLS handshake failed: the client gave the handshake up (it found no protocol version"
        + " or cipher suite it shares with this server, or could not verify this server's handshake"
        + " signature: is this server's private key its certificate's?)"
        + " (Received fatal alert: handshake_failure)",
        TlsHandshakeWords.complaint(new DecoderException(
            new SSLHandshakeException("Received fatal alert: handshake_failure"))));
    // Others keep the provider's words.
    assertEquals("javax.net.ssl.SSLHandshakeException: Received fatal alert: protocol_version",
        TlsHandshakeWords.complaint(new DecoderException(
            new SSLHandshakeException("Received fatal alert: protocol_version"))));
  }
}
