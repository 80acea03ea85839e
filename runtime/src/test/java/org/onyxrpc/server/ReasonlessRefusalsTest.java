package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.AuthStatus;
import org.onyxrpc.rpc.CallHeader;
import org.onyxrpc.rpc.Credentials;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * Refusals an authenticator, an interceptor or a procedure makes the plain way, {@code new
 * RpcException(RpcStatus.AUTH_ERROR, why)}, with no auth_stat reason (RpcException.authError
 * gives one), and an authenticator that answers null: each call is answered truthfully, at once.
 * A reasonless AUTH_ERROR is AUTH_FAILED ("reason unknown", RFC 5531), as the client reads an
 * AUTH_ERROR whose reason is AUTH_OK. Before, a procedure's or an interceptor's went unanswered
 * (the reply could not be written: "AUTH_OK refuses nothing"), and the caller waited out its
 * deadline; an authenticator's was SYSTEM_ERR; and an authenticator's null ran the procedure
 * with no credentials at all.
 */
class ReasonlessRefusalsTest {
  private static final int PROGRAM = 0x20000126;
  private static final Procedure<Integer, Integer> REFUSED_BY_AUTHENTICATOR = procedure(1);
  private static final Procedure<Integer, Integer> NULL_CREDENTIALS = procedure(2);
  private static final Procedure<Integer, Integer> REFUSED_BY_INTERCEPTOR = procedure(3);
  private static final Procedure<Integer, Integer> REFUSED_BY_PROCEDURE = procedure(4);
  private static final Procedure<Integer, Integer> SERVED = procedure(5);
  /** Long, so that a call left unanswered ends TIMEOUT, not with the status asserted. */
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private static final AtomicInteger ran = new AtomicInteger();
  private static RpcServer server;
  private static RpcClient client;

  private static Procedure<Integer, Integer> procedure(int number) {
    return new Procedure<>(PROGRAM, 1, number, "Refusals." + number, XdrCodecs.INT, XdrCodecs.INT);
  }

  @BeforeAll
  static void start() throws Exception {
    Authenticator authenticator = new Authenticator() {
      @Override
      public Credentials authenticate(CallHeader call) {
        if (call.procedure() == REFUSED_BY_AUTHENTICATOR.number()) {
          throw new RpcException(RpcStatus.AUTH_ERROR, "not you");
        }
        if (call.procedure() == NULL_CREDENTIALS.number()) {
          return null; // an authenticator's bug: it decided nothing
        }
        return Authenticator.DEFAULT.authenticate(call);
      }
    };
    ServerInterceptor interceptor = call -> {
      if (call.procedure().number() == REFUSED_BY_INTERCEPTOR.number()) {
        throw new RpcException(RpcStatus.AUTH_ERROR, "not now");
      }
    };
    ServiceDefinition.Builder service = ServiceDefinition.builder(PROGRAM, 1);
    for (Procedure<Integer, Integer> p : java.util.List.of(REFUSED_BY_AUTHENTICATOR,
        NULL_CREDENTIALS, REFUSED_BY_INTERCEPTOR, SERVED)) {
      service.procedure(p, (n, ctx) -> {
        ran.incrementAndGet();
        return n;
      });
    }
    service.procedure(REFUSED_BY_PROCEDURE, (n, ctx) -> {
      throw new RpcException(RpcStatus.AUTH_ERROR, "not this");
    });
    server = RpcServer.builder().port(0).addService(service.build()).authenticator(authenticator)
        .intercept(interceptor).build().start();
    client = RpcClient.builder().address("127.0.0.1", server.port()).timeout(DEADLINE).build();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close(); // first: it answers what it holds
    client.close();
  }

  private static RpcException refusal(Procedure<Integer, Integer> p) throws Exception {
    int before = ran.get();
    RpcException e = assertThrows(RpcException.class, () -> client.call(p, 7));
    assertEquals(before, ran.get(), "the procedure ran");
    assertEquals(7, client.call(SERVED, 7), "the next call");
    return e;
  }

  private static void assertAuthFailed(RpcException e) {
    assertEquals(RpcStatus.AUTH_ERROR, e.status(), e.getMessage());
    assertEquals(AuthStatus.AUTH_FAILED, e.authStatus(), e.getMessage());
  }

  @Test
  void anAuthenticatorsReasonlessRefusalIsAuthFailed() throws Exception {
    assertAuthFailed(refusal(REFUSED_BY_AUTHENTICATOR));
  }

  @Test
  void anInterceptorsReasonlessRefusalIsAnsweredAuthFailed() throws Exception {
    assertAuthFailed(refusal(REFUSED_BY_INTERCEPTOR));
  }

  @Test
  void aProceduresReasonlessRefusalIsAnsweredAuthFailed() throws Exception {
    assertAuthFailed(refusal(REFUSED_BY_PROCEDURE));
  }

  @Test
  void anAuthenticatorsNullIsSystemErrAndRunsNothing() throws Exception {
    RpcException e = refusal(NULL_CREDENTIALS);
    assertEquals(RpcStatus.SYSTEM_ERR, e.status(), e.getMessage());
  }
}
