package org.onyxrpc.idl.schema;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The linked, checked and immutable model that generators read. */
public final class Schema {
  private final List<SchemaFile> files;
  private final Map<String, TypeDecl> types = new LinkedHashMap<>();
  private final Map<String, SchemaFile> fileOfType = new LinkedHashMap<>();

  /**
   * Creates a schema over files whose declared names are unique.
   *
   * @param files the linked files, in load order
   */
  public Schema(List<SchemaFile> files) {
    this.files = List.copyOf(files);
    for (SchemaFile file : this.files) {
      for (TypeDecl type : file.types()) {
        types.put(type.name(), type);
        fileOfType.put(type.name(), file);
      }
    }
  }

  /**
   * Every file, in load order.
   *
   * @return the files
   */
  public List<SchemaFile> files() {
    return files;
  }

  /**
   * The declaration of a {@link Type.Defined} name.
   *
   * @param name a declared type's IDL name
   * @return its declaration
   */
  public TypeDecl type(String name) {
    TypeDecl type = types.get(name);
    if (type == null) {
      throw new IllegalArgumentException("no type " + name);
    }
    return type;
  }

  /**
   * The file that declares a type, which gives its Java package.
   *
   * @param typeName a declared type's IDL name
   * @return the file that declares it
   */
  public SchemaFile fileOf(String typeName) {
    return fileOfType.get(typeName);
  }
}
