package org.onyxrpc.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.OpenSsl;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The peers of {@link TlsSyncCall} and {@link TlsEcho} call and echo 1 MiB in every mode. */
@Timeout(60)
class OnyxTlsPeersTest {
  @Test
  void openSslIsThereToBeMeasured() {
    assertTrue(OpenSsl.isAvailable(), () -> "netty-tcnative: " + OpenSsl.unavailabilityCause());
  }

  @ParameterizedTest
  @ValueSource(strings = {"plain", "jdk", "openssl"})
  void callsAndEchoes(String tls) throws Exception {
    byte[] data = new byte[AddProgram.MAX_ECHO];
    new Random(3).nextBytes(data);
    try (OnyxTlsPeers peers = new OnyxTlsPeers(tls)) {
      assertEquals(5, peers.client.call(AddProgram.ADD, AddProgram.ARGS));
      assertArrayEquals(data, peers.client.call(AddProgram.ECHO, data));
    }
  }
}
