package org.onyxrpc.benchmarks;

/**
 * The two ways a JVM end of the 1 MiB echo can move a {@code byte[]} through a record, written to
 * the least in {@link LeastEchoClient} and {@link LeastEchoServer} so that {@link CClientRuns}
 * can time each beside C → C: the floor of Onyx's design, and what the C reference does instead.
 * Both ends of either design copy the payload once out of the record into a new array and once
 * from the array into the record, as an application's {@code byte[]} argument and result ask.
 */
enum LeastEchoDesign {
  /**
   * Onyx's: a record is read whole before it is decoded, and a reply or call is encoded whole and
   * written in one piece. The copy into the new array begins only once the last byte is in.
   */
  WHOLE_RECORD("whole"),
  /**
   * libtirpc's (its XDR record stream): the array is made once its length is read and each piece
   * of the record is copied into it as it arrives; the payload is copied out and written {@value
   * LeastEchoDesign#PIECE_BYTES} bytes at a time, so one end's copy overlaps the other end's.
   */
  AS_IT_ARRIVES("arriving");

  /** Bytes read or written at a time: one read's largest size in Onyx, libtirpc's record buffer. */
  static final int PIECE_BYTES = 64 * 1024;

  /** How {@link CClientRuns} names a pair of two ends of this design. */
  final String label;

  LeastEchoDesign(String label) {
    this.label = label;
  }
}
