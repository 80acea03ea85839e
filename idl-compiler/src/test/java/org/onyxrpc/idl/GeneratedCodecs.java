package org.onyxrpc.idl;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.onyxrpc.idl.schema.Schema;
import org.onyxrpc.idl.schema.SchemaFile;
import org.onyxrpc.idl.schema.Service;
import org.onyxrpc.idl.schema.TypeDecl;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.xdr.XdrCodec;

/**
 * The codecs of compiled generated Java, found by reflection: a declared type's {@code CODEC},
 * and a procedure's argument and result codecs from its version's holder. The generator writes
 * its files package by package, each file's constants class, types and holders in schema order,
 * so that order names the class of every declaration.
 */
final class GeneratedCodecs {
  private final Map<String, Class<?>> types = new LinkedHashMap<>();
  private final Map<Service.Version, Class<?>> holders = new LinkedHashMap<>();

  GeneratedCodecs(Schema schema, List<IdlCompiler.GeneratedSource> sources, ClassLoader loader)
      throws ClassNotFoundException {
    Map<String, List<SchemaFile>> packages = new LinkedHashMap<>();
    schema.files()
        .forEach(f -> packages.computeIfAbsent(f.javaPackage(), p -> new ArrayList<>()).add(f));
    int index = 0;
    for (List<SchemaFile> files : packages.values()) {
      for (SchemaFile file : files) {
        if (!file.constants().isEmpty()) {
          index++;
        }
        for (TypeDecl type : file.types()) {
          types.put(type.name(), load(sources.get(index++), loader));
        }
        for (Service service : file.services()) {
          for (Service.Version version : service.versions()) {
            holders.put(version, load(sources.get(index++), loader));
          }
        }
      }
    }
    if (index != sources.size()) {
      throw new AssertionError(sources.size() + " sources for " + index + " declarations");
    }
  }

  private static Class<?> load(IdlCompiler.GeneratedSource source, ClassLoader loader)
      throws ClassNotFoundException {
    return loader.loadClass(source.path().replaceAll("\\.java$", "").replace('/', '.'));
  }

  /** The {@code CODEC} of the declared type {@code name}. */
  @SuppressWarnings("unchecked")
  XdrCodec<Object> type(String name) throws ReflectiveOperationException {
    return (XdrCodec<Object>) types.get(name).getField("CODEC").get(null);
  }

  /** The descriptor of procedure {@code number} of {@code version}, from its holder. */
  Procedure<?, ?> procedure(Service service, Service.Version version, int number)
      throws ReflectiveOperationException {
    Class<?> holder = holders.get(version);
    if (holder.getField("PROGRAM").getInt(null) != service.program()) {
      throw new AssertionError(holder + " is not the holder of " + service.name());
    }
    for (Field field : holder.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == Procedure.class) {
        Procedure<?, ?> procedure = (Procedure<?, ?>) field.get(null);
        if (procedure.number() == number) {
          return procedure;
        }
      }
    }
    throw new AssertionError(holder + " has no procedure " + Integer.toUnsignedString(number));
  }
}
