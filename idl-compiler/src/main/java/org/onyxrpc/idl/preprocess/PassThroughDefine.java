package org.onyxrpc.idl.preprocess;

import org.onyxrpc.idl.source.Location;

/**
 * A {@code %#define NAME value} line: the value as written (comments removed) and where it is.
 *
 * @param name its name
 * @param value the value as written, comments removed
 * @param location where the name is
 * @param valueLocation where the value is
 */
public record PassThroughDefine(String name, String value, Location location, Location valueLocation) {}
