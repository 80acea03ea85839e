package org.onyxrpc.idl.schema;

import java.util.List;
import org.onyxrpc.idl.source.Location;

/** A declared data type: what becomes a Java enum, record, sealed interface or exception. */
public sealed interface TypeDecl {
  /**
   * The IDL name.
   *
   * @return the name as declared
   */
  String name();

  /**
   * The doc comment, or null.
   *
   * @return the doc comment's text, or null
   */
  String doc();

  /**
   * Where it is declared; its file names the Java package through {@link SchemaFile}.
   *
   * @return the declaration's position
   */
  Location location();

  /** {@code enum}. */
  record EnumType(String name, String doc, Location location, List<EnumConstant> constants)
      implements TypeDecl {}

  /** One enum constant with its wire value. */
  record EnumConstant(String name, int value, String doc) {}

  /** {@code struct} or, when {@code exception} is true, a declared exception. */
  record StructType(
      String name, String doc, Location location, List<Field> fields, boolean exception)
      implements TypeDecl {}

  /** {@code union}: arms in declaration order, then the default arm (or null). */
  record UnionType(
      String name,
      String doc,
      Location location,
      Field discriminant,
      List<Arm> arms,
      Arm defaultArm)
      implements TypeDecl {}

  /** One union arm; field is null for {@code void}; labels is empty for the default arm. */
  record Arm(List<Label> labels, Field field) {}

  /** A case label's value and, when written as a name, that name. */
  record Label(long value, String name) {}
}
