package org.onyxrpc.idl.compat;

import org.onyxrpc.idl.source.Location;
import org.onyxrpc.idl.schema.Schema;
import org.onyxrpc.idl.schema.Type;

/** Reports how the type of one field, parameter, result or arm changed between the versions. */
final class Uses {
  private final WireMatch match;
  private final Findings findings;
  private final Schema oldSchema;
  private final Schema newSchema;

  Uses(WireMatch match, Findings findings, Schema oldSchema, Schema newSchema) {
    this.match = match;
    this.findings = findings;
    this.oldSchema = oldSchema;
    this.newSchema = newSchema;
  }

  /**
   * Compares the type of {@code what} ("field `price` of `Item`"), reporting at {@code at} with
   * {@code oldAt}; returns true when the wire is unchanged.
   */
  boolean check(String what, Type old, Type now, Location at, Location oldAt) {
    WireMatch.Change change = match.compare(old, now);
    String from = "`" + TypeText.of(old) + "`";
    String to = "`" + TypeText.of(now) + "`";
    switch (change.kind()) {
      case SAME -> {
        return true;
      }
      case SAME_WIRE -> {
        if (!pureRename(old, now)) {
          findings.source(at, oldAt, what + " changed from " + from + " to " + to
              + ": the wire is the same, but Java code written for " + from
              + " no longer compiles");
        }
        return true;
      }
      case BOUND_RAISED -> {
        findings.safe(at, oldAt, "bound of " + what + " raised from "
            + TypeText.limit(change.oldSize()) + " to " + TypeText.limit(change.newSize())
            + ": old readers still reject longer values, so send them only to new peers");
        return true;
      }
      case BOUND_LOWERED -> findings.wire(at, oldAt, "bound of " + what + " lowered from "
          + TypeText.limit(change.oldSize()) + " to " + TypeText.limit(change.newSize())
          + ": new readers reject the longer values old peers may send");
      case LENGTH_CHANGED -> findings.wire(at, oldAt, "fixed length of " + what
          + " changed from " + change.oldSize() + " to " + change.newSize()
          + ": old and new peers read a different number of elements");
      case DIFFERENT -> findings.wire(at, oldAt, what + " changed from " + from + " to " + to
          + (signedness(old, now)
              ? ": the bytes are the same, but old and new peers read large values differently"
              : ": old and new peers encode it differently"));
      default -> throw new AssertionError(change);
    }
    return false;
  }

  private static boolean signedness(Type old, Type now) {
    return old instanceof Type.Builtin o && now instanceof Type.Builtin n && o.size() == n.size()
        && o != Type.Builtin.FLOAT && n != Type.Builtin.FLOAT && o != Type.Builtin.DOUBLE
        && n != Type.Builtin.DOUBLE && o != Type.Builtin.BOOL && n != Type.Builtin.BOOL;
  }

  /** A use whose type names changed only because the types were renamed. */
  private boolean pureRename(Type old, Type now) {
    Type o = unwrap(old);
    Type n = unwrap(now);
    return o instanceof Type.Defined od && n instanceof Type.Defined nd
        && newSchema.fileOf(od.name()) == null && oldSchema.fileOf(nd.name()) == null;
  }

  private static Type unwrap(Type type) {
    if (type instanceof Type.Array array) {
      return unwrap(array.element());
    }
    if (type instanceof Type.Optional optional) {
      return unwrap(optional.element());
    }
    return type;
  }
}
