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
 * counters is enough. An enum's constants are made in its class initialiser, one JVM method of at
 * most 64 KiB of bytecode (JVMS §4.7.3), about 19 bytes each: javac 17 takes 3,450 and rejects
 * 3,500 ("code too large").
 */
final class JavaLimits {
  /** The slots of a constructor's parameters, {@code this} aside. */
  static final int CONSTRUCTOR_SLOTS = 254;
  /** The most constants an enum may have: under javac's limit whatever their values. */
  static final int ENUM_CONSTANTS = 3_400;

  private final Diagnostics diagnostics;
  private final JavaTypes types;

  JavaLimits(Diagnostics diagnostics, JavaTypes types) {
    this.diagnostics = diagnostics;
    this.types = types;
  }

  void check(Schema schema) {
    for (SchemaFile file : schema.files()) {
      for (TypeDecl type : file.types()) {
        if (type instanceof TypeDecl.EnumType e && !fits(e)) {
          diagnostics.error(e.location(), "enum '" + e.name() + "' has too many values for Java: "
              + e.constants().size() + ", where a Java enum holds at most " + ENUM_CONSTANTS
              + " (its class initialiser is one JVM method, of at most 64 KiB); constants of an"
              + " int typedef encode the same bytes");
        }
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

  /** Whether {@code e}'s Java enum compiles; one that does not is not generated either. */
  static boolean fits(TypeDecl.EnumType e) {
    return e.constants().size() <= ENUM_CONSTANTS;
  }
}
