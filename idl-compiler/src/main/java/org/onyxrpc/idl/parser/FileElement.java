package org.onyxrpc.idl.parser;

import java.util.List;
import org.onyxrpc.idl.source.Location;
import org.onyxrpc.idl.parser.Elements.Import;

/**
 * One parsed {@code .idl} file.
 *
 * @param file display name used in diagnostics and the generated header
 * @param packageName Java package from {@code package a.b;}, or "" when absent
 * @param packageLocation where the package name is written, or null when absent
 * @param imports its {@code import}s
 * @param declarations its definitions, in order
 */
public record FileElement(
    String file,
    String packageName,
    Location packageLocation,
    List<Import> imports,
    List<DeclElement> declarations) {}
