package org.onyxrpc.idl.parser;

import java.util.List;
import java.util.Map;
import org.onyxrpc.idl.source.Location;

/** The small syntax elements shared by declarations. */
public final class Elements {
  private Elements() {}

  /**
   * {@code import "common.idl";}.
   *
   * @param location where it is written
   * @param path the imported file as written
   */
  public record Import(Location location, String path) {}

  /**
   * {@code @name}, {@code @name(expr)} or {@code @name("text")}.
   *
   * @param location where it is written
   * @param name its name
   * @param value the constant argument, or null
   * @param text the string argument, or null
   */
  public record Annotation(Location location, String name, ExprElement value, String text) {}

  /**
   * A name used somewhere, such as an exception in {@code throws}.
   *
   * @param location where it is written
   * @param name its name
   */
  public record NameRef(Location location, String name) {}

  /**
   * A declaration {@code type name}: a struct member, a union arm, a typedef or a parameter. The
   * name is null for an unnamed RPCL parameter; the type is null for a {@code void} union arm.
   *
   * @param location where it is written
   * @param name its name, or null for an unnamed RPCL parameter
   * @param doc its doc comment's text, or null
   * @param annotations the annotations written before it
   * @param type its type, or null for a {@code void} union arm
   */
  public record Field(
      Location location, String name, String doc, List<Annotation> annotations, TypeElement type) {}

  /**
   * One enum constant; value is null when implied (previous + 1).
   *
   * @param location where it is written
   * @param name its name
   * @param doc its doc comment's text, or null
   * @param value its value, or null when implied
   */
  public record EnumValue(Location location, String name, String doc, ExprElement value) {}

  /**
   * {@code case A: case B: declaration;}.
   *
   * @param location where it is written
   * @param labels its case labels
   * @param arm the declaration of the arm
   */
  public record Case(Location location, List<ExprElement> labels, Field arm) {}

  /**
   * A procedure; result null means void; number null means derived from position. Its doc
   * comment's {@code @return} and {@code @throws} tags are returnDoc (or null) and throwsDocs.
   *
   * @param location where it is written
   * @param name its name
   * @param doc its doc comment's text, or null
   * @param returnDoc the doc comment's {@code @return} text, or null
   * @param throwsDocs the doc comment's {@code @throws} texts, by exception name
   * @param annotations the annotations written before it
   * @param oneway {@code oneway}: no reply
   * @param result the result type, or null for void
   * @param parameters its parameters, in wire order
   * @param throwsList the exceptions of {@code throws}
   * @param number its number as written, or null when derived from its position
   */
  public record Procedure(
      Location location,
      String name,
      String doc,
      String returnDoc,
      Map<String, String> throwsDocs,
      List<Annotation> annotations,
      boolean oneway,
      TypeElement result,
      List<Field> parameters,
      List<NameRef> throwsList,
      ExprElement number) {}

  /**
   * {@code version NAME { ... } = N;} (RPCL) or {@code version N { ... }}; name may be null.
   *
   * @param location where it is written
   * @param name the RPCL version name, or null
   * @param doc its doc comment's text, or null
   * @param annotations the annotations written before it
   * @param number the version number as written
   * @param procedures its procedures
   */
  public record Version(
      Location location,
      String name,
      String doc,
      List<Annotation> annotations,
      ExprElement number,
      List<Procedure> procedures) {}
}
