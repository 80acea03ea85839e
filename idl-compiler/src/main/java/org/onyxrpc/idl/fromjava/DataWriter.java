package org.onyxrpc.idl.fromjava;

import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.ClassOrInterfaceDeclaration;
import com.github.javaparser.ast.body.EnumConstantDeclaration;
import com.github.javaparser.ast.body.EnumDeclaration;
import com.github.javaparser.ast.body.FieldDeclaration;
import com.github.javaparser.ast.body.Parameter;
import com.github.javaparser.ast.body.RecordDeclaration;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.nodeTypes.NodeWithAnnotations;
import com.github.javaparser.ast.type.Type;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.onyxrpc.idl.source.Diagnostics;

/**
 * Writes records as structs, enums as enums, sealed interfaces of records as unions and checked
 * exceptions as exceptions, each shaped so that idlc generates the same Java type back.
 */
final class DataWriter {
  private final JavaSources sources;
  private final TypeMapper types;
  private final Diagnostics diagnostics;
  private final Containment containment = new Containment();

  DataWriter(JavaSources sources, TypeMapper types, Diagnostics diagnostics) {
    this.sources = sources;
    this.types = types;
    this.diagnostics = diagnostics;
  }

  /**
   * A record: its components in order, as struct fields. A record of none is a struct of none,
   * which RFC 4506 and rpcgen refuse but idlc accepts (zero bytes on the wire) and generates as
   * that same record, so the Java goes back and forth unchanged.
   */
  String struct(RecordDeclaration record) {
    StringBuilder out = new StringBuilder(IdlText.doc(record, ""));
    out.append("struct ").append(record.getNameAsString()).append(" {\n");
    containment.declare(record.getNameAsString(), false);
    for (Parameter component : record.getParameters()) {
      out.append(IdlText.paramDoc(record, component.getNameAsString(), "  "));
      out.append("  ").append(declare(record.getNameAsString(), component.getType(), component,
          component.getNameAsString(), component, "component")).append(";\n");
    }
    return out.append("};\n").toString();
  }

  /** An enum; values come from {@code @Value(N)}, or from the order with {@code @NumberedInOrder}. */
  String enumType(EnumDeclaration type) {
    StringBuilder out = new StringBuilder(IdlText.doc(type, ""));
    out.append("enum ").append(type.getNameAsString()).append(" {\n");
    boolean inOrder = Annotations.has(type, "NumberedInOrder");
    Map<Long, String> seen = new HashMap<>();
    List<EnumConstantDeclaration> entries = type.getEntries();
    for (int i = 0; i < entries.size(); i++) {
      EnumConstantDeclaration entry = entries.get(i);
      Long value = number(entry, "Value", inOrder ? (long) i : null,
          "enum constant `" + entry.getNameAsString() + "` has no wire value: annotate it"
              + " `@Value(N)` (values must not change once released), or annotate `"
              + type.getNameAsString() + "` `@NumberedInOrder` to number its constants 0, 1, ..."
              + " in declaration order");
      if (value == null) {
        continue;
      }
      String previous = seen.putIfAbsent(value, entry.getNameAsString());
      if (previous != null) {
        diagnostics.error(sources.location(entry), "`" + entry.getNameAsString()
            + "` has the same value " + value + " as `" + previous + "`");
      }
      out.append(IdlText.doc(entry, "  ")).append("  ").append(entry.getNameAsString())
          .append(" = ").append(value).append(i + 1 < entries.size() ? ",\n" : "\n");
    }
    return out.append("};\n").toString();
  }

  /**
   * A sealed interface whose permitted types are records nested in it: a union switched on a
   * generated enum {@code <Name>Kind}. A record with one component is an arm carrying it, a
   * record with none a void arm.
   */
  String union(ClassOrInterfaceDeclaration union) {
    String name = union.getNameAsString();
    List<RecordDeclaration> arms = JavaSources.permitted(union);
    if (arms.isEmpty() || arms.size() != union.getPermittedTypes().size()
        && !union.getPermittedTypes().isEmpty()) {
      diagnostics.error(sources.location(union), "sealed interface `" + name + "` must permit"
          + " only records nested in it, which become the arms of the union (idlc generates them"
          + " as nested records)");
      return "";
    }
    containment.declare(name, true);
    TypeDeclaration<?> taken = sources.dataType(name + "Kind");
    if (taken != null) {
      diagnostics.error(sources.location(union), "sealed interface `" + name + "` becomes a"
          + " union switched on a new enum `" + name + "Kind`, but that name is taken by the "
          + "type declared at " + sources.location(taken) + ": rename one");
    }
    boolean inOrder = Annotations.has(union, "NumberedInOrder");
    StringBuilder kinds = new StringBuilder("/** Which arm of " + name + " a value is. */\n")
        .append("enum ").append(name).append("Kind {\n");
    StringBuilder out = new StringBuilder(IdlText.doc(union, ""));
    out.append("union ").append(name).append(" switch (").append(name).append("Kind kind) {\n");
    Map<Long, String> seen = new HashMap<>();
    for (int i = 0; i < arms.size(); i++) {
      RecordDeclaration arm = arms.get(i);
      String label = IdlText.constantCase(arm.getNameAsString());
      Long value = number(arm, "Case", inOrder ? (long) i : null, "record `"
          + arm.getNameAsString() + "` has no case number: annotate it `@Case(N)` (numbers must"
          + " not change once released), or annotate `" + name + "` `@NumberedInOrder` to number"
          + " its records 0, 1, ... in permits order");
      if (value != null && seen.putIfAbsent(value, arm.getNameAsString()) != null) {
        diagnostics.error(sources.location(arm), "case " + value + " of `"
            + arm.getNameAsString() + "` is also the case of `" + seen.get(value) + "`");
      }
      kinds.append("  ").append(label).append(" = ").append(value)
          .append(i + 1 < arms.size() ? ",\n" : "\n");
      out.append(IdlText.doc(arm, "  ")).append("  case ").append(label).append(": ")
          .append(arm(name, arm)).append(";\n");
    }
    return kinds.append("};\n\n").append(out).append("};\n").toString();
  }

  private String arm(String union, RecordDeclaration arm) {
    if (arm.getParameters().isEmpty()) {
      containment.add(union, null, arm.getNameAsString(), sources.location(arm));
      return "void";
    }
    String field = IdlText.lowerFirst(arm.getNameAsString());
    Parameter component = arm.getParameters().get(0);
    if (arm.getParameters().size() > 1) {
      diagnostics.error(sources.location(arm.getParameters().get(1)), "record `"
          + arm.getNameAsString() + "` has " + arm.getParameters().size() + " components, but a"
          + " union arm carries one value: give it one component of a record type");
    } else if (!component.getNameAsString().equals(field)) {
      diagnostics.error(sources.location(component), "the component of `"
          + arm.getNameAsString() + "` must be named `" + field + "`: idlc names an arm's record"
          + " after its one field, so rename `" + component.getNameAsString() + "` to `" + field
          + "` to keep the record's name and accessor");
    }
    return declare(union, component.getType(), component, field, component, "component");
  }

  /** Reports the records and unions that hold themselves; call when all are written. */
  void reportRecursion() {
    containment.report(diagnostics);
  }

  /** A checked exception: its instance fields in order, or just its message when it has none. */
  String exception(ClassOrInterfaceDeclaration exception) {
    StringBuilder out = new StringBuilder(IdlText.doc(exception, ""));
    out.append("exception ").append(exception.getNameAsString()).append(" {\n");
    List<FieldDeclaration> fields = exception.getFields().stream().filter(f -> !f.isStatic())
        .toList();
    if (fields.isEmpty()) {
      out.append("  string message<>;\n");
    }
    for (FieldDeclaration field : fields) {
      for (VariableDeclarator variable : field.getVariables()) {
        out.append(IdlText.doc(field, "  ")).append("  ").append(declare(variable.getType(), field,
            variable.getNameAsString(), variable, "field")).append(";\n");
      }
    }
    return out.append("};\n").toString();
  }

  /** {@code type name}, or "" after reporting why the type cannot be mapped. */
  String declare(Type type, NodeWithAnnotations<?> annotated, String name, Node at, String what) {
    return declare(null, type, annotated, name, at, what);
  }

  /** As {@link #declare}, in the record or union {@code owner} (null for none). */
  private String declare(String owner, Type type, NodeWithAnnotations<?> annotated, String name,
      Node at, String what) {
    if (IdlText.reserved(name)) {
      diagnostics.error(sources.location(at), what + " `" + name + "` has the name of an IDL"
          + " keyword, which the .idl cannot use as a name: rename it");
      return "";
    }
    try {
      IdlType mapped = types.map(type, annotated);
      types.warnings().forEach(w -> diagnostics.warning(sources.location(at), w));
      if (owner != null) {
        boolean byValue = !mapped.optional() && mapped.suffix().isEmpty()
            && sources.dataType(mapped.spec()) != null;
        containment.add(owner, byValue ? mapped.spec() : null, name, sources.location(at));
      }
      return mapped.declare(name);
    } catch (TypeMapper.Unmappable e) {
      diagnostics.error(sources.location(type), e.getMessage() + " (" + what + " `" + name + "`)");
      return "";
    } catch (IllegalArgumentException e) {
      diagnostics.error(sources.location(at), e.getMessage());
      return "";
    }
  }

  private <N extends Node & NodeWithAnnotations<?>> Long number(N node, String annotation,
      Long fallback, String missing) {
    try {
      Long value = Annotations.number(node, annotation, "value").orElse(fallback);
      if (value == null) {
        diagnostics.error(sources.location(node), missing);
      } else if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
        diagnostics.error(sources.location(node), "@" + annotation + "(" + value
            + ") does not fit in a 32-bit int");
        return null;
      }
      return value;
    } catch (IllegalArgumentException e) {
      diagnostics.error(sources.location(node), e.getMessage());
      return null;
    }
  }
}
