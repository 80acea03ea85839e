package org.onyxrpc.idl.schema;

import java.util.List;
import java.util.Map;
import org.onyxrpc.idl.source.Location;

/**
 * A {@code service} or RPCL {@code program} with its program number (as 32 bits) and versions.
 *
 * @param name its name
 * @param doc its doc comment's text, or null
 * @param annotations the annotations written before it
 * @param program the program number, as 32 bits
 * @param versions its versions
 * @param location where it is declared
 */
public record Service(
    String name,
    String doc,
    List<Annotation> annotations,
    int program,
    List<Version> versions,
    Location location) {

  /**
   * One version of a service. name is the RPCL version name, or null.
   *
   * @param name the RPCL version name, or null
   * @param number the version number
   * @param doc its doc comment's text, or null
   * @param annotations the annotations written before it
   * @param procedures its procedures
   */
  public record Version(
      String name, int number, String doc, List<Annotation> annotations, List<Procedure> procedures) {}

  /**
   * One procedure. result is null for void; parameters have names (unnamed RPCL parameters get
   * {@code arg1}, {@code arg2}, ...); throwsList names exceptions in wire-arm order (arm 1 first).
   * returnDoc and throwsDocs are the doc comment's {@code @return} text (null if none) and
   * {@code @throws} texts by exception name, each about a result or exception the procedure has.
   * resultWritten is the result type as the IDL wrote it, as {@link Field#written()} is a field's.
   *
   * @param name its name
   * @param number the procedure number
   * @param doc its doc comment's text, or null
   * @param returnDoc the doc comment's {@code @return} text, or null
   * @param throwsDocs the doc comment's {@code @throws} texts, by exception name
   * @param annotations the annotations written before it
   * @param oneway {@code oneway}: no reply
   * @param result the result type, or null for void
   * @param parameters its parameters, named ({@code arg1}, … when unnamed in RPCL)
   * @param throwsList its exceptions, in wire-arm order
   * @param resultWritten the result type as the IDL wrote it
   */
  public record Procedure(
      String name,
      int number,
      String doc,
      String returnDoc,
      Map<String, String> throwsDocs,
      List<Annotation> annotations,
      boolean oneway,
      Type result,
      List<Field> parameters,
      List<String> throwsList,
      String resultWritten) {

    /**
     * A procedure whose result type is written as it resolves (no typedef in it).
     *
     * @param name the procedure's name
     * @param number its procedure number
     * @param doc its doc comment's text, or null
     * @param returnDoc the doc comment's {@code @return} text, or null
     * @param throwsDocs the doc comment's {@code @throws} texts by exception name
     * @param annotations the annotations written before it
     * @param oneway whether it is declared {@code oneway}
     * @param result its result type, or null for void
     * @param parameters its parameters, named
     * @param throwsList the exceptions it throws, in wire-arm order
     */
    public Procedure(String name, int number, String doc, String returnDoc,
        Map<String, String> throwsDocs, List<Annotation> annotations, boolean oneway, Type result,
        List<Field> parameters, List<String> throwsList) {
      this(name, number, doc, returnDoc, throwsDocs, annotations, oneway, result, parameters,
          throwsList, Type.idl(result));
    }

    /**
     * True for procedure 0 declared {@code void (void)}: the NULL ping (RFC 5531 §12), which
     * servers answer themselves. A procedure 0 declared otherwise is served like any other.
     *
     * @return whether this is the NULL ping
     */
    public boolean isNullPing() {
      return number == 0 && result == null && parameters.isEmpty() && throwsList.isEmpty();
    }

    /**
     * True when an annotation of that name is present.
     *
     * @param annotation an annotation's name, without {@code @}
     * @return whether the procedure carries it
     */
    public boolean has(String annotation) {
      return annotations.stream().anyMatch(a -> a.name().equals(annotation));
    }
  }
}
