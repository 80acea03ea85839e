package org.onyxrpc.idl.schema;

import org.onyxrpc.idl.Location;

/** {@code const NAME = value;}, evaluated. */
public record Constant(String name, long value, String doc, Location location) {}
