package org.onyxrpc.idl.schema;

/**
 * An annotation kept for the runtime and generators: {@code @idempotent}, {@code @program(N)}.
 *
 * @param name the annotation's name, without {@code @}
 * @param value the evaluated constant argument, or null
 * @param text the string argument, or null
 */
public record Annotation(String name, Long value, String text) {}
