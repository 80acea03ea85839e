package org.onyxrpc.idl.javagen;

import static org.onyxrpc.idl.javagen.RuntimeTypes.ARRAY_LIST;
import static org.onyxrpc.idl.javagen.RuntimeTypes.LIST;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.List;
import org.onyxrpc.idl.schema.Field;

/**
 * The codec of a struct whose field {@code self} has type {@code S *}: a linked list. On the wire
 * node 1's fields before the link come first, then its optional flag, then node 2 (recursively),
 * then node 1's fields after the link. Recursive code would need one stack frame per node; this
 * codec walks the list in a loop, so 100,000 nodes cost heap, not stack. A link {@code S **}
 * (Java's {@code Optional<S>}) is two flags: the list ends at a 0 in either, as null or as
 * {@code Optional.empty()}.
 *
 * <p>The decoder holds each node's fields before the link until it has read the rest of the list,
 * then builds the nodes from the last. It holds them in a node with placeholders (0, false, null)
 * for the rest, unless a field after the link refuses null: then in a local record of its own,
 * since the node's constructor would refuse the placeholder.
 */
final class LinkedListCodec {
  /**
   * The fields of 8 bytes whose charge covers the decoder's list of nodes before its first growth:
   * the {@code ArrayList} (at most 32 bytes) and its first array of 10 references (104).
   */
  private static final int LIST_FIELDS = 16;
  /**
   * The references a node adds to that list, counting the arrays it outgrows: each is 1.5 times
   * the last, so all of them hold at most 4.5 references a node, and a new array's header comes
   * once in at least 5 nodes.
   */
  private static final int NODE_SLOTS = 6;
  private final JavaTypes types;
  private final ClassName name;
  private final List<Field> fields;
  private final List<String> names;
  private final int self;
  private final boolean twice;

  LinkedListCodec(JavaTypes types, ClassName name, List<Field> fields, List<String> names, int self,
      boolean twice) {
    this.types = types;
    this.name = name;
    this.fields = fields;
    this.names = names;
    this.self = self;
    this.twice = twice;
  }

  TypeSpec codec() {
    return CodecWriter.anonymousCodec(name, encode(), decode());
  }

  private CodeBlock encode() {
    Names.Allocator locals = CodecWriter.encodeLocals();
    CodecWriter writer = new CodecWriter(types, locals);
    boolean suffix = self < fields.size() - 1;
    String current = locals.allocate("node");
    String next = locals.allocate("next");
    String visited = locals.allocate("visited");
    CodeBlock.Builder code = CodeBlock.builder();
    code.addStatement("$T $L = value", name, current);
    if (suffix) {
      code.addStatement("$T $L = new $T<>()", list(), visited, ARRAY_LIST);
    }
    code.beginControlFlow("while (true)");
    for (int i = 0; i < self; i++) {
      writer.encode(code, fields.get(i).type(), CodeBlock.of("$L.$L()", current, names.get(i)));
    }
    if (suffix) {
      code.addStatement("$L.add($L)", visited, current);
    }
    if (twice) {
      String link = locals.allocate("link");
      code.addStatement("$T $L = $L.$L()", types.java(fields.get(self).type()), link, current,
          names.get(self));
      code.addStatement("out.writeOptionalFlag($L != null)", link);
      code.beginControlFlow("if ($L == null)", link).addStatement("break").endControlFlow();
      code.addStatement("$T $L = $L.orElse(null)", name, next, link);
    } else {
      code.addStatement("$T $L = $L.$L()", name, next, current, names.get(self));
    }
    code.addStatement("out.writeOptionalFlag($L != null)", next);
    code.beginControlFlow("if ($L == null)", next).addStatement("break").endControlFlow();
    code.addStatement("$L = $L", current, next);
    code.endControlFlow();
    if (suffix) {
      String index = locals.allocate("i");
      String node = locals.allocate("done");
      code.beginControlFlow("for (int $L = $L.size() - 1; $L >= 0; $L--)", index, visited, index, index);
      code.addStatement("$T $L = $L.get($L)", name, node, visited, index);
      for (int i = self + 1; i < fields.size(); i++) {
        writer.encode(code, fields.get(i).type(), CodeBlock.of("$L.$L()", node, names.get(i)));
      }
      code.endControlFlow();
    }
    return code.build();
  }

  private CodeBlock decode() {
    Names.Allocator locals = CodecWriter.decodeLocals();
    CodecWriter reader = new CodecWriter(types, locals);
    String partial = locals.allocate("partial");
    String more = locals.allocate("more");
    String result = locals.allocate("result");
    String index = locals.allocate("i");
    String node = locals.allocate("node");
    String end = twice ? locals.allocate("end") : null;
    CodeBlock.Builder code = CodeBlock.builder();
    String held = heldFields();
    TypeName partialType = held == null ? name : declareHeld(code, held);
    // Counted before allocating: the list, then per node its two records and its list growth.
    code.addStatement("in.countObject($L)", LIST_FIELDS);
    code.addStatement("$T $L = new $T<>()", ParameterizedTypeName.get(LIST, partialType), partial,
        ARRAY_LIST);
    if (twice) {
      // The last node's link: null (outer flag 0) or Optional.empty() (inner flag 0).
      code.addStatement("$T $L = null", types.java(fields.get(self).type()), end);
    }
    code.beginControlFlow("while (true)");
    String arguments = String.join(", ", readBeforeLink(code, locals, reader, held == null));
    // A held record has fewer fields than the node: the node's charge covers it.
    code.addStatement("in.countObject($L)", fields.size() + NODE_SLOTS);
    if (twice) {
      code.addStatement("$L.add(new $T($L))", partial, partialType, arguments);
      code.beginControlFlow("if (!in.readOptionalFlag())").addStatement("break").endControlFlow();
      code.beginControlFlow("if (!in.readOptionalFlag())")
          .addStatement("$L = $T.empty()", end, RuntimeTypes.OPTIONAL)
          .addStatement("break")
          .endControlFlow();
    } else {
      code.addStatement("boolean $L = in.readOptionalFlag()", more);
      code.addStatement("$L.add(new $T($L))", partial, partialType, arguments);
      code.beginControlFlow("if (!$L)", more).addStatement("break").endControlFlow();
    }
    code.endControlFlow();
    code.addStatement("$T $L = null", name, result);
    code.beginControlFlow("for (int $L = $L.size() - 1; $L >= 0; $L--)", index, partial, index, index);
    code.addStatement("$T $L = $L.get($L)", partialType, node, partial, index);
    CodeBlock link = twice
        ? CodeBlock.of("$L == null ? $L : $T.of($L)", result, end, RuntimeTypes.OPTIONAL, result)
        : CodeBlock.of("$L", result);
    List<CodeBlock> rebuilt = rebuildNode(code, locals, reader, node, link);
    code.addStatement("in.countObject($L)", fields.size());
    code.addStatement("$L = new $T($L)", result, name, CodeBlock.join(rebuilt, ", "));
    code.endControlFlow();
    code.addStatement("return $L", result);
    return code.build();
  }

  /** Declares the local record {@code held} of a node's fields before the link; returns its type. */
  private TypeName declareHeld(CodeBlock.Builder code, String held) {
    List<CodeBlock> components = new ArrayList<>();
    for (int i = 0; i < self; i++) {
      components.add(CodeBlock.of("$T $L", types.java(fields.get(i).type()), names.get(i)));
    }
    code.add("// A node's fields before its link, held until the rest of the list is read.\n")
        .add("record $L($L) {\n}\n", held, CodeBlock.join(components, ", "));
    return ClassName.get("", held);
  }

  /**
   * Reads a node's fields before the link into locals; returns the arguments of the partial node:
   * those locals, then placeholders for the other fields when the node itself holds them.
   */
  private List<String> readBeforeLink(CodeBlock.Builder code, Names.Allocator locals,
      CodecWriter reader, boolean placeholders) {
    List<String> arguments = new ArrayList<>();
    for (int i = 0; i < fields.size(); i++) {
      if (i < self) {
        String local = locals.allocate(names.get(i));
        CodeBlock read = reader.decode(code, fields.get(i).type());
        code.addStatement("$T $L = $L", types.java(fields.get(i).type()), local, read);
        arguments.add(local);
      } else if (placeholders) {
        arguments.add(placeholder(types.java(fields.get(i).type())));
      }
    }
    return arguments;
  }

  /**
   * Reads a node's fields after the link into locals; returns the node's constructor arguments:
   * the held fields of {@code node}, then {@code link}, then those locals.
   */
  private List<CodeBlock> rebuildNode(CodeBlock.Builder code, Names.Allocator locals,
      CodecWriter reader, String node, CodeBlock link) {
    List<CodeBlock> rebuilt = new ArrayList<>();
    for (int i = 0; i < fields.size(); i++) {
      if (i < self) {
        rebuilt.add(CodeBlock.of("$L.$L()", node, names.get(i)));
      } else if (i == self) {
        rebuilt.add(link);
      } else {
        String local = locals.allocate(names.get(i));
        CodeBlock read = reader.decode(code, fields.get(i).type());
        code.addStatement("$T $L = $L", types.java(fields.get(i).type()), local, read);
        rebuilt.add(CodeBlock.of("$L", local));
      }
    }
    return rebuilt;
  }

  /**
   * The name of the local record that holds a node's fields before the link while the decoder
   * reads the rest of the list, or null when the node itself can hold them: when no field after
   * the link refuses null, the placeholder its constructor would be given.
   */
  private String heldFields() {
    String owner = String.join(".", name.simpleNames());
    for (int i = self + 1; i < fields.size(); i++) {
      if (StructGenerator.nullMessage(types, owner, fields.get(i).type(), names.get(i)) != null) {
        return new Names.Allocator().reserve(types.generatedSimpleNames())
            .allocate(name.simpleName() + "Before");
      }
    }
    return null;
  }

  private TypeName list() {
    return ParameterizedTypeName.get(LIST, name);
  }

  private static String placeholder(TypeName type) {
    if (type.equals(TypeName.BOOLEAN)) {
      return "false";
    }
    if (type.equals(TypeName.LONG)) {
      return "0L";
    }
    if (type.equals(TypeName.FLOAT)) {
      return "0f";
    }
    if (type.equals(TypeName.DOUBLE)) {
      return "0d";
    }
    return type.isPrimitive() ? "0" : "null";
  }
}
