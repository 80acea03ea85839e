package org.onyxrpc.idl.schema;

import java.util.List;
import org.onyxrpc.idl.source.Location;

/** A named, typed member of a struct, union arm, exception or parameter list. */
public record Field(
    String name, Type type, String doc, List<Annotation> annotations, Location location) {}
