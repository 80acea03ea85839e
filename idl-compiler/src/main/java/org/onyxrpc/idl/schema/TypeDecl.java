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

  /**
   * {@code enum}.
   *
   * @param name its name
   * @param doc its doc comment's text, or null
   * @param location where it is declared
   * @param constants its constants, in order
   */
  record EnumType(String name, String doc, Location location, List<EnumConstant> constants)
      implements TypeDecl {}

  /**
   * One enum constant with its wire value.
   *
   * @param name its name
   * @param value its wire value
   * @param doc its doc comment's text, or null
   */
  record EnumConstant(String name, int value, String doc) {}

  /**
   * {@code struct} or, when {@code exception} is true, a declared exception.
   *
   * @param name its name
   * @param doc its doc comment's text, or null
   * @param location where it is declared
   * @param fields its members, in wire order
   * @param exception a declared exception rather than a struct
   */
  record StructType(
      String name, String doc, Location location, List<Field> fields, boolean exception)
      implements TypeDecl {}

  /**
   * {@code union}: arms in declaration order, then the default arm (or null).
   *
   * @param name its name
   * @param doc its doc comment's text, or null
   * @param location where it is declared
   * @param discriminant the discriminant
   * @param arms its arms, in declaration order
   * @param defaultArm the default arm, or null
   */
  record UnionType(
      String name,
      String doc,
      Location location,
      Field discriminant,
      List<Arm> arms,
      Arm defaultArm)
      implements TypeDecl {}

  /**
   * One union arm; field is null for {@code void}; labels is empty for the default arm.
   *
   * @param labels its case labels, empty for the default arm
   * @param field its field, or null for {@code void}
   */
  record Arm(List<Label> labels, Field field) {}

  /**
   * A case label's value and, when written as a name, that name.
   *
   * @param value the value
   * @param name the name it was written as, or null
   */
  record Label(long value, String name) {}
}
