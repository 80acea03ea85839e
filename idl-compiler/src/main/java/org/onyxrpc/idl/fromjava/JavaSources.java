package org.onyxrpc.idl.fromjava;

import com.github.javaparser.JavaParser;
import com.github.javaparser.JavaToken;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.Problem;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.Modifier;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.ClassOrInterfaceDeclaration;
import com.github.javaparser.ast.body.EnumDeclaration;
import com.github.javaparser.ast.body.RecordDeclaration;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.nodeTypes.NodeWithImplements;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.onyxrpc.idl.source.Diagnostics;
import org.onyxrpc.idl.source.Location;

/**
 * The parsed Java files and the types they declare that map to IDL, by simple name (IDL names
 * are global): records, enums, sealed interfaces, exceptions, and service interfaces.
 */
final class JavaSources {
  /** A parsed file: its display name, package and tree. */
  record Source(String file, String javaPackage, CompilationUnit unit) {}

  private final List<Source> sources = new ArrayList<>();
  private final Map<CompilationUnit, Source> sourceOf = new IdentityHashMap<>();
  private final Map<String, TypeDeclaration<?>> dataTypes = new LinkedHashMap<>();
  private final Set<RecordDeclaration> arms =
      Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<String> implemented = new HashSet<>();
  private final Diagnostics diagnostics;

  JavaSources(Diagnostics diagnostics) {
    this.diagnostics = diagnostics;
  }

  /** Parses {@code file}; syntax errors are reported and the file is left out. */
  void parse(Path base, Path file) throws IOException {
    String display = display(base, file);
    JavaParser parser = new JavaParser(new ParserConfiguration()
        .setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17));
    ParseResult<CompilationUnit> result = parser.parse(file);
    if (!result.isSuccessful() || result.getResult().isEmpty()) {
      for (Problem problem : result.getProblems()) {
        Location at = problem.getLocation()
            .flatMap(range -> found(range.getBegin()).getRange())
            .map(range -> new Location(display, range.begin.line, range.begin.column))
            .orElse(new Location(display, 1, 1));
        String message = problem.getMessage().lines().findFirst().orElse("syntax error");
        int expected = message.indexOf(", expected");
        diagnostics.error(at, expected < 0 ? message : message.substring(0, expected));
      }
      return;
    }
    CompilationUnit unit = result.getResult().get();
    Source source = new Source(display, unit.getPackageDeclaration()
        .map(p -> p.getNameAsString()).orElse(""), unit);
    sources.add(source);
    sourceOf.put(unit, source);
    for (TypeDeclaration<?> type : unit.findAll(TypeDeclaration.class)) {
      if ((type instanceof RecordDeclaration || type instanceof EnumDeclaration)
          && !isUnionArmOf(type)) {
        NodeWithImplements<?> withImplements = (NodeWithImplements<?>) type;
        withImplements.getImplementedTypes().forEach(t -> implemented.add(t.getNameAsString()));
      }
      if (isData(type)) {
        TypeDeclaration<?> previous = dataTypes.putIfAbsent(type.getNameAsString(), type);
        if (previous != null) {
          diagnostics.error(location(type), "`" + type.getNameAsString() + "` is declared twice"
              + " (also at " + location(previous) + "): IDL type names are global, rename one");
        }
      }
      if (isUnion(type)) {
        permitted((ClassOrInterfaceDeclaration) type).forEach(arms::add);
      }
    }
    arms.forEach(arm -> dataTypes.remove(arm.getNameAsString(), arm));
  }

  /**
   * The token a syntax error found: JavaParser's problem begins at the last token it took, the
   * one before (the '(' of {@code int size(;}, not its ';'). At the end of the input, the place
   * right after the last token.
   */
  private static JavaToken found(JavaToken lastTaken) {
    Optional<JavaToken> next = lastTaken.getNextToken();
    for (Optional<JavaToken> t = next; t.isPresent(); t = t.get().getNextToken()) {
      if (!t.get().getCategory().isWhitespaceOrComment()) {
        return t.get();
      }
    }
    return next.orElse(lastTaken);
  }

  private static String display(Path base, Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    Path root = base.toAbsolutePath().normalize();
    return (absolute.startsWith(root) ? root.relativize(absolute) : absolute).toString();
  }

  List<Source> sources() {
    return sources;
  }

  /** The record, enum, sealed interface or exception of that simple name, or null. */
  TypeDeclaration<?> dataType(String simpleName) {
    return dataTypes.get(simpleName);
  }

  boolean isArm(TypeDeclaration<?> type) {
    return type instanceof RecordDeclaration r && arms.contains(r);
  }

  Source sourceOf(Node node) {
    return sourceOf.get(node.findCompilationUnit().orElseThrow());
  }

  Location location(Node node) {
    String file = sourceOf(node).file();
    return node.getBegin().map(p -> new Location(file, p.line, p.column))
        .orElse(new Location(file, 1, 1));
  }

  static boolean isData(TypeDeclaration<?> type) {
    return type instanceof RecordDeclaration || type instanceof EnumDeclaration
        || isUnion(type) || isException(type);
  }

  static boolean isUnion(TypeDeclaration<?> type) {
    return type instanceof ClassOrInterfaceDeclaration c && c.isInterface()
        && c.hasModifier(Modifier.Keyword.SEALED);
  }

  /**
   * An interface that is neither sealed nor implemented by a record or enum among the input
   * files (that would make it a mixin of data types, not a service; an implementation class
   * among the input files is fine).
   */
  boolean isService(TypeDeclaration<?> type) {
    return type instanceof ClassOrInterfaceDeclaration c && c.isInterface()
        && !c.hasModifier(Modifier.Keyword.SEALED) && !implemented.contains(c.getNameAsString());
  }

  /** A record nested in the sealed interface it implements. */
  private static boolean isUnionArmOf(TypeDeclaration<?> type) {
    return type instanceof RecordDeclaration && type.getParentNode()
        .filter(p -> p instanceof TypeDeclaration<?> parent && isUnion(parent)).isPresent();
  }

  static boolean isException(TypeDeclaration<?> type) {
    return type instanceof ClassOrInterfaceDeclaration c && !c.isInterface()
        && c.getExtendedTypes().stream().anyMatch(t -> t.getNameAsString().equals("Exception"));
  }

  /** The records nested in a sealed interface that implement it, in {@code permits} order. */
  static List<RecordDeclaration> permitted(ClassOrInterfaceDeclaration union) {
    List<RecordDeclaration> nested = union.getMembers().stream()
        .filter(m -> m instanceof RecordDeclaration).map(m -> (RecordDeclaration) m)
        .filter(r -> r.getImplementedTypes().stream()
            .anyMatch(t -> t.getNameAsString().equals(union.getNameAsString())))
        .toList();
    if (union.getPermittedTypes().isEmpty()) {
      return nested;
    }
    List<RecordDeclaration> ordered = new ArrayList<>();
    union.getPermittedTypes().forEach(p -> nested.stream()
        .filter(r -> r.getNameAsString().equals(p.getNameAsString())).findFirst()
        .ifPresent(ordered::add));
    return ordered;
  }
}
