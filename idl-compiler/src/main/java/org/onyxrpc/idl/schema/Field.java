package org.onyxrpc.idl.schema;

import java.util.List;
import org.onyxrpc.idl.source.Location;

/**
 * A named, typed member of a struct, union arm, exception or parameter list. {@code written} is
 * its type as the IDL wrote it, for documentation and messages: typedef names kept and bounds as
 * written ({@code tag<MAX_TAGS>}), where {@code type} has the typedefs replaced
 * ({@code string<32><MAX_TAGS>}).
 *
 * @param name the field's name
 * @param type its type, typedefs replaced
 * @param doc its doc comment's text, or null
 * @param annotations the annotations written before it
 * @param location where it is declared
 * @param written its type as the IDL wrote it
 */
public record Field(
    String name, Type type, String doc, List<Annotation> annotations, Location location,
    String written) {

  /**
   * A field whose type is written as it resolves (no typedef in it).
   *
   * @param name the field's name
   * @param type its resolved type
   * @param doc its doc comment's text, or null
   * @param annotations the annotations written before it
   * @param location where it is declared
   */
  public Field(String name, Type type, String doc, List<Annotation> annotations, Location location) {
    this(name, type, doc, annotations, location, Type.idl(type));
  }
}
