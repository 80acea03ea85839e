package org.onyxrpc.idl.compat;

import org.onyxrpc.idl.source.Location;
import org.onyxrpc.idl.schema.Schema;
import org.onyxrpc.idl.schema.Type;
import org.onyxrpc.idl.schema.TypeDecl;

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
        if (old instanceof Type.Optional != now instanceof Type.Optional) {
          findings.source(at, oldAt, what + " changed from " + from + " to " + to
              + ": Java code written for " + from + " no longer compiles");
        }
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
          + ": " + why(old, now));
      default -> throw new AssertionError(change);
    }
    return false;
  }

  /** Why a change of type breaks, told apart for the types whose bytes are the same. */
  private String why(Type old, Type now) {
    if (signedness(old, now)) {
      return "the bytes are the same, but old and new peers read large values differently";
    }
    if (old instanceof Type.StringType && now instanceof Type.Opaque o && !o.fixed()
        || old instanceof Type.Opaque o2 && !o2.fixed() && now instanceof Type.StringType) {
      return "the bytes are the same, but a string reader decodes them as UTF-8 text: opaque bytes"
          + " that are not UTF-8 reach Onyx as escapes (U+DC80..U+DCFF), and other readers may"
          + " replace or refuse them";
    }
    String closed = closedInt(now, newSchema) != null ? closedInt(now, newSchema)
        : closedInt(old, oldSchema);
    if (closed != null && intLike(old, oldSchema) && intLike(now, newSchema)) {
      return "the bytes are the same, but readers of `" + closed
          + "` reject the values it does not declare";
    }
    return "old and new peers encode it differently";
  }

  /** The name of an enum or bool, whose readers accept only the values it declares. */
  private static String closedInt(Type type, Schema schema) {
    if (type == Type.Builtin.BOOL) {
      return "bool";
    }
    return type instanceof Type.Defined d && schema.type(d.name()) instanceof TypeDecl.EnumType
        ? d.name() : null;
  }

  /** A 4-byte XDR integer: int, unsigned int, bool, an enum or rpcgen's char and short. */
  private static boolean intLike(Type type, Schema schema) {
    if (type instanceof Type.Builtin b) {
      return b.size() == 4 && b != Type.Builtin.FLOAT;
    }
    return closedInt(type, schema) != null;
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
    return old instanceof Type.Optional == now instanceof Type.Optional
        && o instanceof Type.Defined od && n instanceof Type.Defined nd
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
