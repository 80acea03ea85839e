package org.onyxrpc.idl.javagen;

import com.palantir.javapoet.TypeName;
import org.onyxrpc.idl.schema.Field;
import org.onyxrpc.idl.schema.Schema;
import org.onyxrpc.idl.schema.SchemaFile;
import org.onyxrpc.idl.schema.Service;
import org.onyxrpc.idl.schema.TypeDecl;
import org.onyxrpc.idl.source.Diagnostics;

/**
 * Refuses what XDR allows and the JVM cannot hold, so that idlc reports it instead of writing
 * Java that javac rejects: a struct's record (an exception's class) takes every field in one
 * constructor, and a JVM method's parameters fill at most 255 slots, one of them {@code this}
 * (JVMS §4.3.3), a {@code long} or {@code double} taking two. A struct of 128 {@code hyper}
 * counters is enough. An enum's constants are made in its class initialiser, one JVM method of at
 * most 64 KiB of bytecode (JVMS §4.7.3), about 19 bytes each: javac 17 takes 3,450 and rejects
 * 3,500 ("code too large"). A union's codec decodes (and encodes) every arm in one method too:
 * {@link UnionCodeSize} estimates its bytes, about 23 an {@code int} arm. A version's holder
 * class makes every procedure's field in its initialiser, at least 30 bytes each past the 127th
 * ({@link HolderCodeSize}): javac 17 takes 2,188 procedures of void and rejects 2,189.
 */
final class JavaLimits {
  /** The slots of a constructor's parameters, {@code this} aside. */
  static final int CONSTRUCTOR_SLOTS = 254;
  /** The most constants an enum may have: under javac's limit whatever their values. */
  static final int ENUM_CONSTANTS = 3_400;
  /** The most bytes of code a JVM method holds (JVMS §4.7.3: code_length is under 65536). */
  static final int METHOD_BYTES = 65_535;

  private final Diagnostics diagnostics;
  private final JavaTypes types;

  JavaLimits(Diagnostics diagnostics, JavaTypes types) {
    this.diagnostics = diagnostics;
    this.types = types;
  }

  void check(Schema schema) {
    for (SchemaFile file : schema.files()) {
      for (Service service : file.services()) {
        for (Service.Version version : service.versions()) {
          if (!fits(version)) {
            diagnostics.error(service.location(), "version '" + version.name() + "' of program '"
                + service.name() + "' has too many procedures for Java: its "
                + version.procedures().size() + " procedures' fields, made in its class's"
                + " initialiser, one JVM method, take at least "
                + HolderCodeSize.initialiser(version)
                + " bytes of code, where a method holds at most " + METHOD_BYTES
                + "; versions or programs of fewer procedures each can serve them");
          }
        }
      }
      for (TypeDecl type : file.types()) {
        if (type instanceof TypeDecl.EnumType e && !fits(e)) {
          diagnostics.error(e.location(), "enum '" + e.name() + "' has too many values for Java: "
              + e.constants().size() + ", where a Java enum holds at most " + ENUM_CONSTANTS
              + " (its class initialiser is one JVM method, of at most 64 KiB); constants of an"
              + " int typedef encode the same bytes");
        }
        if (type instanceof TypeDecl.UnionType union) {
          long bytes = codeBytes(union, types);
          if (bytes > METHOD_BYTES) {
            diagnostics.error(union.location(), "union '" + union.name() + "' has too many arms for"
                + " Java: its " + (union.arms().size() + (union.defaultArm() == null ? 0 : 1))
                + " arms' encoding or decoding, each one JVM method, takes about " + bytes
                + " bytes of code, where a method holds at most " + METHOD_BYTES + "; arms of one"
                + " type can share one arm of many case labels (8 bytes a label), which encodes the"
                + " same bytes");
          }
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

  /** The larger of the union's codec's methods, in estimated bytes of JVM code. */
  private static long codeBytes(TypeDecl.UnionType union, JavaTypes types) {
    return Math.max(UnionCodeSize.decode(union, types), UnionCodeSize.encode(union, types));
  }

  /** Whether {@code union}'s codec compiles; a union whose codec does not is not generated. */
  static boolean fits(TypeDecl.UnionType union, JavaTypes types) {
    return codeBytes(union, types) <= METHOD_BYTES;
  }

  /** Whether the holder class of {@code version} compiles; one that does not is not generated. */
  static boolean fits(Service.Version version) {
    return HolderCodeSize.initialiser(version) <= METHOD_BYTES;
  }

  /** Whether {@code e}'s Java enum compiles; one that does not is not generated either. */
  static boolean fits(TypeDecl.EnumType e) {
    return e.constants().size() <= ENUM_CONSTANTS;
  }
}
