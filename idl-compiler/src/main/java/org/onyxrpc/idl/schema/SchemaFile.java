package org.onyxrpc.idl.schema;

import java.util.List;

/**
 * What one {@code .idl} file declares, resolved.
 *
 * @param file display name, used in the generated header
 * @param javaPackage the {@code package} of the file, or "" for none
 * @param constants its constants
 * @param types its types
 * @param services its services
 */
public record SchemaFile(
    String file,
    String javaPackage,
    List<Constant> constants,
    List<TypeDecl> types,
    List<Service> services) {}
