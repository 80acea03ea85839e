package org.onyxrpc.idl.fromjava;

import com.github.javaparser.ast.body.ClassOrInterfaceDeclaration;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.body.Parameter;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.type.ReferenceType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.onyxrpc.idl.source.Diagnostics;

/**
 * Writes an interface as a service with one version. Procedure numbers come from
 * {@code @Procedure(N)}, or from the order of the methods only when the interface says
 * {@code @NumberedInOrder}: reordering methods must not silently change the wire.
 */
final class ServiceWriter {
  /** java.lang's unchecked exceptions, which a Java interface may list in {@code throws}. */
  private static final Set<String> UNCHECKED = Set.of("RuntimeException",
      "IllegalArgumentException", "IllegalStateException", "UnsupportedOperationException",
      "NullPointerException", "IndexOutOfBoundsException", "ArithmeticException",
      "SecurityException");

  private final JavaSources sources;
  private final TypeMapper types;
  private final DataWriter data;
  private final Diagnostics diagnostics;

  ServiceWriter(JavaSources sources, TypeMapper types, DataWriter data, Diagnostics diagnostics) {
    this.sources = sources;
    this.types = types;
    this.data = data;
    this.diagnostics = diagnostics;
  }

  /** The service, or "" for an interface without abstract methods. */
  String service(ClassOrInterfaceDeclaration service) {
    List<MethodDeclaration> methods = service.getMethods().stream()
        .filter(m -> !m.isDefault() && !m.isStatic() && !m.isPrivate() && m.getBody().isEmpty())
        .toList();
    if (methods.isEmpty()) {
      return "";
    }
    String name = service.getNameAsString();
    StringBuilder out = new StringBuilder(IdlText.doc(service, ""));
    try {
      Annotations.number(service, "Program", "value").ifPresent(program ->
          out.append("@program(0x").append(Long.toHexString(program)).append(")\n"));
    } catch (IllegalArgumentException e) {
      diagnostics.error(sources.location(service), e.getMessage());
    }
    long version = 1;
    try {
      version = Annotations.number(service, "Version", "value").orElse(1L);
    } catch (IllegalArgumentException e) {
      diagnostics.error(sources.location(service), e.getMessage());
    }
    TypeDeclaration<?> taken = sources.dataType(name + "V" + version);
    if (taken != null) {
      diagnostics.error(sources.location(service), "service `" + name + "` version " + version
          + " becomes the Java class `" + name + "V" + version + "`, but that name is taken by"
          + " the type declared at " + sources.location(taken) + ": rename one");
    }
    out.append("service ").append(name).append(" {\n  version ").append(version).append(" {\n");
    boolean inOrder = Annotations.has(service, "NumberedInOrder");
    Map<Long, String> numbers = new HashMap<>();
    for (int i = 0; i < methods.size(); i++) {
      MethodDeclaration method = methods.get(i);
      Long number = number(method, inOrder ? (long) i + 1 : null, name);
      if (number != null) {
        String previous = numbers.putIfAbsent(number, method.getNameAsString());
        if (previous != null) {
          diagnostics.error(sources.location(method), "procedure number " + number + " of `"
              + method.getNameAsString() + "` is also the number of `" + previous + "`");
        }
      }
      out.append(IdlText.methodDoc(method, declaredExceptions(method), "    ")).append("    ")
          .append(procedure(method, number))
          .append('\n');
    }
    return out.append("  }\n}\n").toString();
  }

  /** The simple names of the exceptions of {@code method} that go into the IDL. */
  private Set<String> declaredExceptions(MethodDeclaration method) {
    Set<String> names = new HashSet<>();
    for (ReferenceType exception : method.getThrownExceptions()) {
      String simple = simpleName(exception);
      TypeDeclaration<?> declared = sources.dataType(simple);
      if (declared != null && JavaSources.isException(declared)) {
        names.add(simple);
      }
    }
    return names;
  }

  private static String simpleName(ReferenceType exception) {
    return exception.isClassOrInterfaceType()
        ? exception.asClassOrInterfaceType().getNameAsString() : exception.asString();
  }

  private String procedure(MethodDeclaration method, Long number) {
    String name = method.getNameAsString();
    if (IdlText.reserved(name)) {
      diagnostics.error(sources.location(method), "method `" + name + "` has the name of an IDL"
          + " keyword, which the .idl cannot use as a name: rename it");
    }
    boolean oneway = Annotations.has(method, "Oneway");
    StringBuilder out = new StringBuilder();
    if (Annotations.has(method, "Idempotent")) {
      out.append("@idempotent ");
    }
    if (oneway) {
      out.append("oneway ");
      if (!method.getType().isVoidType() || !method.getThrownExceptions().isEmpty()) {
        diagnostics.error(sources.location(method), "@Oneway method `" + name + "` must return"
            + " void and throw nothing: no reply is sent");
      }
    }
    out.append(result(method, name));
    List<String> parameters = new ArrayList<>();
    for (Parameter parameter : method.getParameters()) {
      parameters.add(IdlText.inlineParamDoc(method, parameter.getNameAsString())
          + data.declare(parameter.getType(), parameter, parameter.getNameAsString(), parameter,
              "parameter"));
    }
    out.append(' ').append(name).append('(').append(String.join(", ", parameters)).append(')');
    List<String> thrown = thrown(method, name);
    if (!thrown.isEmpty()) {
      out.append(" throws ").append(String.join(", ", thrown));
    }
    return out.append(" = ").append(number == null ? "0" : number).append(';').toString();
  }

  /** The IDL result type of {@code method}: "void", its mapped type, or "" after an error. */
  private String result(MethodDeclaration method, String name) {
    if (method.getType().isVoidType()) {
      return "void";
    }
    try {
      String type = types.map(method.getType(), method).ref();
      types.warnings().forEach(w -> diagnostics.warning(sources.location(method.getType()), w));
      return type;
    } catch (TypeMapper.Unmappable e) {
      diagnostics.error(sources.location(method.getType()), e.getMessage() + " (result of `"
          + name + "`)");
    } catch (IllegalArgumentException e) {
      diagnostics.error(sources.location(method), e.getMessage());
    }
    return "";
  }

  /**
   * The exceptions {@code method} declares that the IDL can carry (classes extending Exception
   * among the input files); a warning for an unchecked one, an error for any other.
   */
  private List<String> thrown(MethodDeclaration method, String name) {
    List<String> thrown = new ArrayList<>();
    for (ReferenceType exception : method.getThrownExceptions()) {
      String simple = simpleName(exception);
      TypeDeclaration<?> declared = sources.dataType(simple);
      if (declared == null && UNCHECKED.contains(simple)) {
        diagnostics.warning(sources.location(exception), "`" + simple + "` thrown by `" + name
            + "` is unchecked and not part of the IDL: a client gets an RpcException (SYSTEM_ERR)"
            + " when the server throws it");
      } else if (declared == null || !JavaSources.isException(declared)) {
        diagnostics.error(sources.location(exception), "cannot map `" + exception + "` thrown by `"
            + name + "`: a declared exception must be a class extending Exception among the input"
            + " files (its fields go on the wire); unchecked exceptions reach clients as errors"
            + " without being declared");
      } else {
        types.referenced().add(simple);
        thrown.add(simple);
      }
    }
    return thrown;
  }

  private Long number(MethodDeclaration method, Long fallback, String service) {
    try {
      Long number = Annotations.number(method, "Procedure", "value").orElse(fallback);
      if (number == null) {
        diagnostics.error(sources.location(method), "method `" + method.getNameAsString()
            + "` has no procedure number: annotate it `@Procedure(N)` with N from 1 (numbers"
            + " must not change once released), or annotate `" + service
            + "` `@NumberedInOrder` to number its methods 1, 2, ... in declaration order");
      } else if (number < 1 || number > 0xFFFF_FFFFL) {
        diagnostics.error(sources.location(method), "@Procedure(" + number + ") of `"
            + method.getNameAsString() + "` must be 1 or more (0 is the NULL procedure) and fit"
            + " in 32 unsigned bits");
        return null;
      }
      return number;
    } catch (IllegalArgumentException e) {
      diagnostics.error(sources.location(method), e.getMessage());
      return null;
    }
  }
}
