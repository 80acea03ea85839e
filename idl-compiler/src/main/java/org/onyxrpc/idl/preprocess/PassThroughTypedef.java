package org.onyxrpc.idl.preprocess;

/**
 * A C type that {@code %} lines declare ({@code %typedef unsigned long long u64;}, or {@code
 * %typedef struct {} and later {@code %} checked_data;}): its name and the declaration, shortened
 * to its first and last lines.
 *
 * @param name its name
 * @param declaration the declaration, shortened to its first and last lines
 */
public record PassThroughTypedef(String name, String declaration) {}
