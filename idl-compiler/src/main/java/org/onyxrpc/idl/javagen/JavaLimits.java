package org.onyxrpc.idl.javagen;

import com.palantir.javapoet.TypeName;
import org.onyxrpc.idl.schema.Field;
import org.onyxrpc.idl.schema.Schema;
import org.onyxrpc.idl.schema.SchemaFile;
import org.onyxrpc.idl.schema.TypeDecl;
import org.onyxrpc.idl.source.Diagnostics;

/**
 * Refuses what XDR allows and the JVM cannot hold, so that idlc reports it instead of writing
 * Java that javac rejects: a struct's record (an exception's class) takes every field in one
 * constructor, and a JVM method's parameters fill at most 255 slots, one of them {@code this}
 * (JVMS §4.3.3), a {@code long} or {@code double} taking two. A struct of 128 {@code hyper}
 * counters is enough.
 */
final class JavaLimits {
  /** The slots of a constructor's parameters, {@code this} aside. */
  static final int CONSTRUCTOR_SLOTS = 254;

  private final Diagnostics diagnostics;
  private final JavaTypes types;

  JavaLimits(Diagnostics diagnostics, JavaTypes types) {
    this.diagnostics = diagnostics;
    this.types = types;
  }

  void check(Schema schema) {
    for (SchemaFile file : schema.files()) {
      for (TypeDecl type : file.types()) {
        if (type instanceof TypeDecl.StructType struct) {
          int slots = 0;
          for (Field field : struct.fields()) {
            TypeName java = types.java(field.type());
            slots += java.equals(TypeName.LONG) || java.equals(TypeName.DOUBLE) ? 2 : 1;
          }
          if (slots > CONSTRUCTOR_SLOTS) {
            diagnostics.error(struct.location(), (struct.exception() ? "exception '" : "struct '")
                + struct.name() + "' has too many fields for Java: its " + struct.fields().size()
                + " fields take " + slots + " of the " + CONSTRUCTOR_SLOTS + " parameter slots a"
                + " Java constructor has (a hyper or double takes two); a struct of structs holding"
                + " its fields in order encodes the same bytes");
          }
        }
      }
    }
  }
}
