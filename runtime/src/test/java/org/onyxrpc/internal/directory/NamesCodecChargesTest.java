package org.onyxrpc.internal.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.onyxrpc.testing.DecodeCharges.assertChargesWhatItAllocates;
import static org.onyxrpc.testing.DecodeCharges.charged;
import static org.onyxrpc.testing.DecodeCharges.encoding;
import static org.onyxrpc.testing.DecodeCharges.recordCharge;
import static org.onyxrpc.testing.DecodeCharges.stringCharge;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.xdr.XdrCodec;

/**
 * The names protocol's codecs, written by hand, charge each record they build as generated codecs
 * do. Their strings' charges leave room for the records, so the records' charges are counted too.
 */
class NamesCodecChargesTest {
  private static final ServiceInstance INSTANCE =
      new ServiceInstance("com.example.Calc", 0x20000101, 1, "tcp", "127.0.0.1.18.103", "superuser");
  private static final long INSTANCE_STRINGS = stringCharge("com.example.Calc") + stringCharge("tcp")
      + stringCharge("127.0.0.1.18.103");

  private static <T> void assertCharges(XdrCodec<T> codec, T value) {
    assertChargesWhatItAllocates(codec, encoding(codec, value));
  }

  @Test
  void instancesAndRegistrationsChargeWhatTheyAllocate() {
    assertCharges(Names.INSTANCE, INSTANCE);
    assertCharges(Names.LOOKUP.result(), List.of(INSTANCE, INSTANCE));
    assertCharges(Names.RegisterArgs.CODEC, new Names.RegisterArgs(INSTANCE, 20_000));
    assertCharges(NamesListing.LIST.result(), List.of(new NamesListing.Listed(INSTANCE, 20_000)));
  }

  @Test
  void eachRecordIsCharged() {
    long instance = recordCharge(6) + INSTANCE_STRINGS + stringCharge("superuser");
    assertEquals(instance, charged(Names.INSTANCE, encoding(Names.INSTANCE, INSTANCE)));
    assertEquals(recordCharge(2) + instance, charged(NamesListing.LISTED,
        encoding(NamesListing.LISTED, new NamesListing.Listed(INSTANCE, 20_000))));
    // The owner is not on the wire: the directory knows the caller's.
    assertEquals(recordCharge(2) + recordCharge(6) + INSTANCE_STRINGS, charged(Names.RegisterArgs.CODEC,
        encoding(Names.RegisterArgs.CODEC, new Names.RegisterArgs(INSTANCE, 20_000))));
  }
}
