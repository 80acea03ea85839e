package org.onyxrpc.examples.javafirst;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The annotations idlc from-java reads. It matches them by simple name, so a project declares
 * them where it likes (here as nested types) and needs no Onyx dependency for them.
 */
public final class Wire {
  private Wire() {}

  /** The ONC RPC program number of a service interface. */
  @Retention(RetentionPolicy.SOURCE) @Target(ElementType.TYPE)
  public @interface Program { long value(); }

  /** The version of a service interface (default 1). */
  @Retention(RetentionPolicy.SOURCE) @Target(ElementType.TYPE)
  public @interface Version { int value(); }

  /** A method's procedure number. */
  @Retention(RetentionPolicy.SOURCE) @Target(ElementType.METHOD)
  public @interface Procedure { long value(); }

  /** An enum constant's wire value. */
  @Retention(RetentionPolicy.SOURCE) @Target(ElementType.FIELD)
  public @interface Value { int value(); }

  /** The case number of a record permitted by a sealed interface. */
  @Retention(RetentionPolicy.SOURCE) @Target(ElementType.TYPE)
  public @interface Case { int value(); }

  /** Numbers methods, enum constants or permitted records in declaration order. */
  @Retention(RetentionPolicy.SOURCE) @Target(ElementType.TYPE)
  public @interface NumberedInOrder {}

  /** Safe to retry: called at least once. */
  @Retention(RetentionPolicy.SOURCE) @Target(ElementType.METHOD)
  public @interface Idempotent {}

  /** No reply: called at most once, maybe not at all. */
  @Retention(RetentionPolicy.SOURCE) @Target(ElementType.METHOD)
  public @interface Oneway {}

  /** The largest length of a string, byte array, array or list. */
  @Retention(RetentionPolicy.SOURCE)
  @Target({ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD, ElementType.RECORD_COMPONENT})
  public @interface Size { int max(); }

  /** May be null: XDR optional-data. */
  @Retention(RetentionPolicy.SOURCE)
  @Target({ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD, ElementType.RECORD_COMPONENT})
  public @interface Nullable {}
}
