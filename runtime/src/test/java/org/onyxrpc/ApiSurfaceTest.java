package org.onyxrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The runtime's public surface is a conscious choice: every public type of a package outside
 * {@code org.onyxrpc.internal} is listed in {@code src/test/resources/api/public-types.txt}, has
 * Javadoc, and names no internal type in what it makes public. A new public type fails the build
 * until it is added to the list (or moved to an internal package); {@code -Dapi.update=true}
 * rewrites the list.
 */
class ApiSurfaceTest {
  private static final Path CLASSES = Path.of("target/classes");
  private static final Path SOURCES = Path.of("src/main/java");
  private static final Path EXPECTED = Path.of("src/test/resources/api/public-types.txt");
  private static final String INTERNAL = "org.onyxrpc.internal";
  private static final String HEADER = """
      # The runtime's public API types, checked by ApiSurfaceTest. A change here is a change of the
      # API users learn: prefer an org.onyxrpc.internal package for what users never touch.
      # Rewrite after a deliberate change: mvn -pl runtime test -Dtest=ApiSurfaceTest -Dapi.update=true
      """;

  @Test
  void thePublicTypesAreTheListedOnes() throws IOException {
    if (Boolean.getBoolean("api.update")) {
      Files.writeString(EXPECTED, HEADER + String.join("\n", publicTypes().stream().map(Class::getCanonicalName).toList()) + "\n");
    }
    List<String> expected = Files.readAllLines(EXPECTED).stream()
        .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    List<String> actual = publicTypes().stream().map(Class::getCanonicalName).toList();
    assertEquals(String.join("\n", expected), String.join("\n", actual),
        "the runtime's public API types changed: move a type users never touch to an"
            + " org.onyxrpc.internal package, or add it to " + EXPECTED);
  }

  @Test
  void everyPublicTypeHasJavadoc() throws IOException {
    List<String> missing = new ArrayList<>();
    for (Class<?> type : publicTypes()) {
      Class<?> top = type;
      while (top.getEnclosingClass() != null) {
        top = top.getEnclosingClass();
      }
      String source = Files.readString(SOURCES.resolve(top.getName().replace('.', '/') + ".java"));
      if (!documented(source, type.getSimpleName())) {
        missing.add(type.getCanonicalName());
      }
    }
    assertEquals(List.of(), missing, "public API types without Javadoc");
  }

  @Test
  void theJavadocCheckSeesOnlyJavadoc() {
    assertTrue(documented("/** A. */\npublic final class A {}", "A"));
    assertTrue(documented("/** A. */\n@FunctionalInterface\npublic interface A {}", "A"));
    assertTrue(documented("class O {\n  /** R. */\n  record A(int x) {}\n}", "A"));
    assertFalse(documented("/* A. */\npublic final class A {}", "A"));
    assertFalse(documented("// A.\npublic final class A {}", "A"));
    assertFalse(documented("/** B. */\nclass B {}\npublic enum A {}", "A"));
  }

  @Test
  void noPublicSignatureNamesAnInternalType() throws IOException {
    List<String> leaks = new ArrayList<>();
    for (Class<?> type : publicTypes()) {
      List<Member> members = new ArrayList<>();
      members.addAll(List.of(type.getDeclaredFields()));
      members.addAll(List.of(type.getDeclaredMethods()));
      members.addAll(List.of(type.getDeclaredConstructors()));
      for (Member member : members) {
        if (!visible(member.getModifiers()) || member.isSynthetic()) {
          continue;
        }
        for (Type used : typesOf(member)) {
          if (used.getTypeName().contains(INTERNAL + ".")) {
            leaks.add(type.getCanonicalName() + "." + member.getName() + ": " + used.getTypeName());
          }
        }
      }
      for (Type supertype : supertypes(type)) {
        if (supertype.getTypeName().contains(INTERNAL + ".")) {
          leaks.add(type.getCanonicalName() + " extends " + supertype.getTypeName());
        }
      }
    }
    assertEquals(List.of(), leaks, "public API that exposes internal types");
  }

  /** Public types (nested ones only inside public types) of every package outside internal. */
  static List<Class<?>> publicTypes() throws IOException {
    TreeSet<String> names = new TreeSet<>();
    try (Stream<Path> files = Files.walk(CLASSES)) {
      files.map(f -> CLASSES.relativize(f).toString().replace('\\', '/'))
          .filter(f -> f.endsWith(".class") && !f.endsWith("package-info.class"))
          .map(f -> f.substring(0, f.length() - ".class".length()).replace('/', '.'))
          .filter(n -> n.startsWith("org.onyxrpc.") && !n.startsWith(INTERNAL + ".")
              && !n.equals(INTERNAL) && !n.startsWith(INTERNAL + "$"))
          .forEach(names::add);
    }
    List<Class<?>> types = new ArrayList<>();
    for (String name : names) {
      Class<?> type = load(name);
      if (reachable(type)) {
        types.add(type);
      }
    }
    types.sort((a, b) -> a.getCanonicalName().compareTo(b.getCanonicalName()));
    return types;
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, ApiSurfaceTest.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new AssertionError(name + " is on disk but cannot be loaded", e);
    }
  }

  private static boolean reachable(Class<?> type) {
    if (type.isAnonymousClass() || type.isLocalClass() || type.isSynthetic()) {
      return false;
    }
    for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
      if (!visible(t.getModifiers())) {
        return false;
      }
    }
    return true;
  }

  private static boolean visible(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  private static List<Type> typesOf(Member member) {
    List<Type> types = new ArrayList<>();
    if (member instanceof Field f) {
      types.add(f.getGenericType());
    } else if (member instanceof Executable e) {
      types.addAll(List.of(e.getGenericParameterTypes()));
      types.addAll(List.of(e.getGenericExceptionTypes()));
      if (e instanceof Method m) {
        types.add(m.getGenericReturnType());
      } else if (!(e instanceof Constructor<?>)) {
        throw new AssertionError(e);
      }
    }
    return types;
  }

  private static List<Type> supertypes(Class<?> type) {
    List<Type> types = new ArrayList<>(List.of(type.getGenericInterfaces()));
    if (type.getGenericSuperclass() != null) {
      types.add(type.getGenericSuperclass());
    }
    return types;
  }

  /** True if the declaration of {@code simpleName} in {@code source} follows a Javadoc comment. */
  static boolean documented(String source, String simpleName) {
    Matcher declaration = Pattern.compile(
        "(?m)^[ \\t]*(?:(?:public|protected|private|static|final|abstract|sealed|non-sealed|strictfp)\\s+)*"
            + "(?:class|interface|enum|record|@interface)\\s+" + Pattern.quote(simpleName) + "\\b").matcher(source);
    if (!declaration.find()) {
      return false;
    }
    String before = source.substring(0, declaration.start()).stripTrailing();
    // Annotations may stand between the comment and the declaration.
    int line = before.lastIndexOf('\n');
    while (before.substring(line + 1).strip().startsWith("@")) {
      before = before.substring(0, Math.max(line, 0)).stripTrailing();
      line = before.lastIndexOf('\n');
    }
    return before.endsWith("*/") && before.startsWith("/**", before.lastIndexOf("/*"));
  }
}
