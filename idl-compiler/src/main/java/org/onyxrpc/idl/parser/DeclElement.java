package org.onyxrpc.idl.parser;

import java.util.List;
import org.onyxrpc.idl.source.Location;
import org.onyxrpc.idl.parser.Elements.Annotation;
import org.onyxrpc.idl.parser.Elements.Case;
import org.onyxrpc.idl.parser.Elements.EnumValue;
import org.onyxrpc.idl.parser.Elements.Field;
import org.onyxrpc.idl.parser.Elements.Version;

/** A top-level definition as written, with its doc comment (or null) and annotations. */
public sealed interface DeclElement {
  /**
   * Where the definition's keyword is.
   *
   * @return the keyword's position
   */
  Location location();

  /**
   * The declared name.
   *
   * @return the name as written
   */
  String name();

  /**
   * The doc comment's text without its delimiters, or null.
   *
   * @return the doc comment's text, or null
   */
  String doc();

  /**
   * Annotations written before the definition.
   *
   * @return the annotations, in written order
   */
  List<Annotation> annotations();

  /**
   * The keyword that introduced it, for messages: "struct", "union", ...
   *
   * @return the keyword
   */
  String kind();

  /**
   * {@code const NAME = expr;}, or with {@code text} instead of {@code value} the rpcgen
   * extension {@code const NAME = "text";}. {@code passThrough} marks a constant taken from a
   * {@code %#define NAME value} line: it is kept only if it resolves to an integer and its name
   * is free, since such lines may hold any C.
   *
   * @param location where it is written
   * @param name its name
   * @param doc its doc comment's text, or null
   * @param annotations the annotations written before it
   * @param value its value as written, or null for a string constant
   * @param text the string of {@code const NAME = "text";}, or null
   * @param passThrough taken from a {@code %#define NAME value} line
   */
  record ConstDecl(
      Location location, String name, String doc, List<Annotation> annotations, ExprElement value,
      String text, boolean passThrough)
      implements DeclElement {
    /**
     * An integer constant as written in the file.
     *
     * @param location where {@code const} is
     * @param name the constant's name
     * @param doc its doc comment's text, or null
     * @param annotations the annotations written before it
     * @param value its value as written
     */
    public ConstDecl(Location location, String name, String doc, List<Annotation> annotations,
        ExprElement value) {
      this(location, name, doc, annotations, value, null, false);
    }

    @Override
    public String kind() {
      return "const";
    }
  }

  /**
   * {@code enum NAME { A = 1, B = 2 };}.
   *
   * @param location where it is written
   * @param name its name
   * @param doc its doc comment's text, or null
   * @param annotations the annotations written before it
   * @param values its constants, in order
   */
  record EnumDecl(
      Location location, String name, String doc, List<Annotation> annotations, List<EnumValue> values)
      implements DeclElement {
    @Override
    public String kind() {
      return "enum";
    }
  }

  /**
   * {@code struct NAME { ... };} or {@code exception NAME { ... };}.
   *
   * @param location where it is written
   * @param name its name
   * @param doc its doc comment's text, or null
   * @param annotations the annotations written before it
   * @param fields its members, in wire order
   * @param exception a declared exception rather than a struct
   */
  record StructDecl(
      Location location,
      String name,
      String doc,
      List<Annotation> annotations,
      List<Field> fields,
      boolean exception)
      implements DeclElement {
    @Override
    public String kind() {
      return exception ? "exception" : "struct";
    }
  }

  /**
   * {@code union NAME switch (disc) { case ...: ...; default: ...; };}; defaultArm may be null.
   *
   * @param location where it is written
   * @param name its name
   * @param doc its doc comment's text, or null
   * @param annotations the annotations written before it
   * @param discriminant the discriminant declaration
   * @param cases the arms with their case labels, in order
   * @param defaultArm the default arm, or null
   */
  record UnionDecl(
      Location location,
      String name,
      String doc,
      List<Annotation> annotations,
      Field discriminant,
      List<Case> cases,
      Field defaultArm)
      implements DeclElement {
    @Override
    public String kind() {
      return "union";
    }
  }

  /**
   * {@code typedef declaration;}.
   *
   * @param location where it is written
   * @param name its name
   * @param doc its doc comment's text, or null
   * @param annotations the annotations written before it
   * @param declaration the declaration that names the type
   */
  record TypedefDecl(
      Location location, String name, String doc, List<Annotation> annotations, Field declaration)
      implements DeclElement {
    @Override
    public String kind() {
      return "typedef";
    }
  }

  /**
   * {@code program NAME {...} = N;} (rpcl true) or {@code service NAME {...}}; number may be null.
   *
   * @param location where it is written
   * @param name its name
   * @param doc its doc comment's text, or null
   * @param annotations the annotations written before it
   * @param rpcl written as an RPCL {@code program} rather than a {@code service}
   * @param versions its versions
   * @param number the program number as written, or null
   */
  record ServiceDecl(
      Location location,
      String name,
      String doc,
      List<Annotation> annotations,
      boolean rpcl,
      List<Version> versions,
      ExprElement number)
      implements DeclElement {
    @Override
    public String kind() {
      return rpcl ? "program" : "service";
    }
  }
}
