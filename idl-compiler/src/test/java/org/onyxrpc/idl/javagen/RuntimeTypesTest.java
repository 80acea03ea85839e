package org.onyxrpc.idl.javagen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.palantir.javapoet.ClassName;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Generated code names only the runtime's public API: what {@link RuntimeTypes} holds, and what
 * the golden files import, is public and outside {@code org.onyxrpc.internal}, whose types
 * carry no compatibility promise.
 */
class RuntimeTypesTest {
  private static final Pattern RUNTIME_TYPE = Pattern.compile(
      "\\borg\\.onyxrpc\\.(?:xdr|rpc|transport|client|server|directory|health|internal)(?:\\.[a-z]\\w*)*\\.[A-Z]\\w*");

  @Test
  void theRuntimeNamesOfTheGeneratorArePublicApi() throws IllegalAccessException {
    List<String> names = new ArrayList<>();
    for (Field field : RuntimeTypes.class.getDeclaredFields()) {
      if (field.getType() == ClassName.class && Modifier.isStatic(field.getModifiers())) {
        String name = ((ClassName) field.get(null)).canonicalName();
        if (name.startsWith("org.onyxrpc.")) {
          names.add(name);
        }
      }
    }
    assertTrue(names.size() >= 10, "RuntimeTypes: " + names);
    assertEquals(List.of(), notApi(names), "generated code would name these");
  }

  @Test
  void theGoldenFilesNameOnlyPublicApi() throws IOException {
    Set<String> names = new TreeSet<>();
    try (Stream<Path> files = Files.walk(Path.of("src/test/resources/golden"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Matcher m = RUNTIME_TYPE.matcher(Files.readString(file));
        while (m.find()) {
          names.add(m.group());
        }
      }
    }
    assertTrue(names.contains("org.onyxrpc.xdr.XdrCodec"), "golden files name: " + names);
    assertEquals(List.of(), notApi(new ArrayList<>(names)), "golden files name these");
  }

  private static List<String> notApi(List<String> names) {
    List<String> wrong = new ArrayList<>();
    for (String name : names) {
      if (name.startsWith("org.onyxrpc.internal.")) {
        wrong.add(name + " (internal)");
        continue;
      }
      try {
        Class<?> type = Class.forName(name, false, RuntimeTypesTest.class.getClassLoader());
        if (!Modifier.isPublic(type.getModifiers())) {
          wrong.add(name + " (not public)");
        }
      } catch (ClassNotFoundException e) {
        wrong.add(name + " (not in the runtime)");
      }
    }
    return wrong;
  }
}
