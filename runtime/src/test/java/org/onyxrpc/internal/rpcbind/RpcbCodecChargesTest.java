package org.onyxrpc.internal.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.onyxrpc.testing.DecodeCharges.assertChargesWhatItAllocates;
import static org.onyxrpc.testing.DecodeCharges.charged;
import static org.onyxrpc.testing.DecodeCharges.encoding;
import static org.onyxrpc.testing.DecodeCharges.opaqueCharge;
import static org.onyxrpc.testing.DecodeCharges.recordCharge;
import static org.onyxrpc.testing.DecodeCharges.stringCharge;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.onyxrpc.xdr.XdrCodec;

/**
 * The portmap and rpcbind codecs, written by hand, charge each record they build as generated
 * codecs do, so that a directory's limits see what a peer's message makes it hold.
 */
class RpcbCodecChargesTest {
  private static final Rpcb.Mapping MAPPING = new Rpcb.Mapping(100003, 3, "tcp", "127.0.0.1.8.1", "superuser");
  private static final Rpcb.Entry ENTRY = new Rpcb.Entry("127.0.0.1.8.1", "tcp", Rpcb.NC_TPI_COTS_ORD, "inet", "tcp");
  private static final RpcbStats.AddrStat ADDR_STAT = new RpcbStats.AddrStat(100003, 3, 7, 1, "udp");
  private static final RpcbStats.CallStat CALL_STAT = new RpcbStats.CallStat(100003, 3, 1, 7, 1, 2, "udp");

  private static <T> void assertCharges(XdrCodec<T> codec, T value) {
    assertChargesWhatItAllocates(codec, encoding(codec, value));
  }

  @Test
  void portmapRecordsChargeWhatTheyAllocate() {
    Portmap.Mapping mapping = new Portmap.Mapping(100003, 3, Portmap.IPPROTO_TCP, 2049);
    assertCharges(Portmap.Mapping.CODEC, mapping);
    assertCharges(Portmap.CallResult.CODEC, new Portmap.CallResult(2049, new byte[8]));
    assertCharges(Portmap.MAPPING_LIST, List.of(mapping, mapping, mapping));
    assertCharges(Portmap.MAPPING_LIST, List.of());
  }

  @Test
  void callArgumentsAndAddressesChargeWhatTheyAllocate() {
    Rpcb.CallArgs args = new Rpcb.CallArgs(100003, 3, 1, new byte[8]);
    assertCharges(Rpcb.CallArgs.CODEC, args);
    assertCharges(Rpcb.NetBuf.CODEC, new Rpcb.NetBuf(16, new byte[16]));
  }

  @Test
  void statisticsChargeWhatTheyAllocate() {
    RpcbStats.Snapshot snapshot = new RpcbStats.Snapshot(new int[RpcbStats.HIGHPROC], 2, 1,
        List.of(ADDR_STAT, ADDR_STAT), List.of(CALL_STAT));
    RpcbStats.Snapshot empty = new RpcbStats.Snapshot(new int[RpcbStats.HIGHPROC], 0, 0, List.of(), List.of());
    assertCharges(RpcbStats.BY_VERSION, List.of(snapshot, empty, snapshot));
    assertCharges(RpcbStats.BY_VERSION, List.of(empty, empty, empty));
  }

  @Test
  void recordsOfStringsChargeWhatTheyAllocate() {
    assertCharges(Rpcb.Mapping.CODEC, MAPPING);
    assertCharges(Rpcb.MAPPING_LIST, List.of(MAPPING, MAPPING));
    assertCharges(Rpcb.Entry.CODEC, ENTRY);
    assertCharges(Rpcb.ENTRY_LIST, List.of(ENTRY));
    assertCharges(Rpcb.CallResult.CODEC, new Rpcb.CallResult("127.0.0.1.8.1", new byte[8]));
  }

  /** A string's charge leaves room for a small record, so these count the record's charge itself. */
  @Test
  void recordsOfStringsChargeTheirRecords() {
    assertEquals(recordCharge(5) + stringCharge("tcp") + stringCharge("127.0.0.1.8.1") + stringCharge("superuser"),
        charged(Rpcb.Mapping.CODEC, encoding(Rpcb.Mapping.CODEC, MAPPING)));
    assertEquals(recordCharge(5) + stringCharge("127.0.0.1.8.1") + 2 * stringCharge("tcp") + stringCharge("inet"),
        charged(Rpcb.Entry.CODEC, encoding(Rpcb.Entry.CODEC, ENTRY)));
    assertEquals(recordCharge(2) + stringCharge("127.0.0.1.8.1") + opaqueCharge(8), charged(Rpcb.CallResult.CODEC,
        encoding(Rpcb.CallResult.CODEC, new Rpcb.CallResult("127.0.0.1.8.1", new byte[8]))));
    assertEquals(recordCharge(5) + stringCharge("udp"),
        charged(RpcbStats.AddrStat.CODEC, encoding(RpcbStats.AddrStat.CODEC, ADDR_STAT)));
    assertEquals(recordCharge(7) + stringCharge("udp"),
        charged(RpcbStats.CallStat.CODEC, encoding(RpcbStats.CallStat.CODEC, CALL_STAT)));
  }
}
