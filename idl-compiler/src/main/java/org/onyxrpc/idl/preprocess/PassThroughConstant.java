package org.onyxrpc.idl.preprocess;

/**
 * A constant that {@code %} lines give C ({@code %enum color { RED, GREEN };}, {@code %const
 * int LIMIT = 8;}): its name and the declaration, an enum's shortened to its first line, the
 * enumerator's and its last.
 *
 * @param name its name
 * @param declaration the declaration, shortened
 */
public record PassThroughConstant(String name, String declaration) {}
