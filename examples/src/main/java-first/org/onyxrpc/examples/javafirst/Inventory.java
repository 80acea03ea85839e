package org.onyxrpc.examples.javafirst;

import java.util.List;
import org.onyxrpc.examples.javafirst.Wire.Idempotent;
import org.onyxrpc.examples.javafirst.Wire.Procedure;
import org.onyxrpc.examples.javafirst.Wire.Program;
import org.onyxrpc.examples.javafirst.Wire.Size;

/** The parts of a workshop: what is there, and taking some. */
@Program(0x20000501)
public interface Inventory {
  /** The part with that id. */
  @Idempotent
  @Procedure(1)
  Part part(@Size(max = 32) String id) throws NoSuchPart;

  /** Every part of one kind. */
  @Idempotent
  @Procedure(2)
  List<Part> parts(Kind kind);

  /** Takes {@code count} units of a part, or says when they will come. */
  @Procedure(3)
  Reservation reserve(@Size(max = 32) String id, int count) throws NoSuchPart;
}
