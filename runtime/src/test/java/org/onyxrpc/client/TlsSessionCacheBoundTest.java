package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which cache sizes {@link TlsSessionCacheBound} lowers: a larger one, and the JDK's 0 (no limit),
 * to 32; a smaller one the application chose stays, and so does OpenSSL's 0 (cache nothing).
 * TlsSessionTicketCacheTest shows the bound against a server that floods tickets.
 */
class TlsSessionCacheBoundTest {
  @ParameterizedTest
  @CsvSource({"JDK, 20480, 32", "JDK, 0, 32", "JDK, 4, 4", "JDK, 32, 32",
      "OPENSSL, 20480, 32", "OPENSSL, 0, 0", "OPENSSL, 4, 4"})
  void aClientsSessionCacheIsLoweredToTheBoundNeverRaised(SslProvider provider, int size,
      int bounded) throws Exception {
    SslContext context = SslContextBuilder.forClient().sslProvider(provider).build();
    context.sessionContext().setSessionCacheSize(size);
    TlsSessionCacheBound.apply(context);
    assertEquals(bounded, context.sessionContext().getSessionCacheSize());
  }

  @ParameterizedTest
  @CsvSource({"JDK", "OPENSSL"})
  void aClientBuiltWithTlsBoundsItsContextsCache(SslProvider provider) throws Exception {
    SslContext context = SslContextBuilder.forClient().sslProvider(provider).build();
    RpcClient.builder().address("localhost", 1).tls(ClientTls.of(context, 1, 1)).build().close();
    assertEquals(TlsSessionCacheBound.MOST, context.sessionContext().getSessionCacheSize());
  }
}
