package org.onyxrpc.idl.parser;

import java.util.List;
import java.util.Map;
import org.onyxrpc.idl.source.Location;

/** The small syntax elements shared by declarations. */
public final class Elements {
  private Elements() {}

  /** {@code import "common.idl";}. */
  public record Import(Location location, String path) {}

  /** {@code @name}, {@code @name(expr)} or {@code @name("text")}. */
  public record Annotation(Location location, String name, ExprElement value, String text) {}

  /** A name used somewhere, such as an exception in {@code throws}. */
  public record NameRef(Location location, String name) {}

  /**
   * A declaration {@code type name}: a struct member, a union arm, a typedef or a parameter. The
   * name is null for an unnamed RPCL parameter; the type is null for a {@code void} union arm.
   */
  public record Field(
      Location location, String name, String doc, List<Annotation> annotations, TypeElement type) {}

  /** One enum constant; value is null when implied (previous + 1). */
  public record EnumValue(Location location, String name, String doc, ExprElement value) {}

  /** {@code case A: case B: declaration;}. */
  public record Case(Location location, List<ExprElement> labels, Field arm) {}

  /**
   * A procedure; result null means void; number null means derived from position. Its doc
   * comment's {@code @return} and {@code @throws} tags are returnDoc (or null) and throwsDocs.
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

  /** {@code version NAME { ... } = N;} (RPCL) or {@code version N { ... }}; name may be null. */
  public record Version(
      Location location,
      String name,
      String doc,
      List<Annotation> annotations,
      ExprElement number,
      List<Procedure> procedures) {}
}
