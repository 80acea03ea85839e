package org.onyxrpc.cli.json;

import org.onyxrpc.idl.schema.TypeDecl;

/** A union in JSON is {@code {"discriminant": d, "value": v}}; {@code value} is left out for a void arm. */
final class Unions {
  static final String DISCRIMINANT = "discriminant";
  static final String VALUE = "value";

  private Unions() {}

  /**
   * The arm a discriminant selects, the default arm when no label matches, or null. Labels are
   * compared as 32 bits, so an unsigned label above 2^31 matches its wire value.
   */
  static TypeDecl.Arm arm(TypeDecl.UnionType union, long discriminant) {
    for (TypeDecl.Arm arm : union.arms()) {
      for (TypeDecl.Label label : arm.labels()) {
        if ((int) label.value() == (int) discriminant) {
          return arm;
        }
      }
    }
    return union.defaultArm();
  }
}
