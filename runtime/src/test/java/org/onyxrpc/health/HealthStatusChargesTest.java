package org.onyxrpc.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.onyxrpc.testing.DecodeCharges.assertChargesWhatItAllocates;
import static org.onyxrpc.testing.DecodeCharges.charged;
import static org.onyxrpc.testing.DecodeCharges.encoding;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A health answer decodes to an enum constant: it charges nothing and allocates nothing. */
class HealthStatusChargesTest {
  @ParameterizedTest
  @EnumSource(ServingStatus.class)
  void aStatusDecodesWithoutAllocating(ServingStatus status) {
    byte[] encoded = encoding(Health.STATUS, status);
    assertEquals(0, charged(Health.STATUS, encoded));
    assertChargesWhatItAllocates(Health.STATUS, encoded);
  }
}
