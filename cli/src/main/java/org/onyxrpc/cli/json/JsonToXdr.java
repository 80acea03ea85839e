package org.onyxrpc.cli.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import org.onyxrpc.idl.schema.Field;
import org.onyxrpc.idl.schema.Schema;
import org.onyxrpc.idl.schema.Type;
import org.onyxrpc.idl.schema.TypeDecl;
import org.onyxrpc.xdr.XdrWriter;

/**
 * Writes a JSON value as the XDR of a schema type, walking the type (no generated code). Every
 * value is checked against its type before it is written; a mismatch is a {@link
 * JsonValueException} naming the JSON path and the IDL type. The mapping is the README's table
 * (cli/README.md).
 */
public final class JsonToXdr {
  private static final Range UNSIGNED_HYPER_RANGE =
      new Range(BigInteger.ZERO, BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE));

  private final Schema schema;

  /**
   * An encoder for the types of {@code schema}.
   *
   * @param schema the linked files whose types are written
   */
  public JsonToXdr(Schema schema) {
    this.schema = schema;
  }

  /**
   * Writes {@code node}, found at {@code path} of the input, as {@code type}.
   *
   * @param type the IDL type to write
   * @param node the JSON value
   * @param path where {@code node} is in the input, for error messages
   * @param out where the XDR goes
   */
  public void write(Type type, JsonNode node, String path, XdrWriter out) {
    write(type, null, node, path, out);
  }

  /**
   * As {@link #write(Type, JsonNode, String, XdrWriter)}, {@code written} being the type as the
   * IDL wrote it ({@link Field#written()}), or null: messages name it by the author's typedef.
   */
  private void write(Type type, String written, JsonNode node, String path, XdrWriter out) {
    String idl = TypeNames.declared(written, type);
    if (node == null || node.isMissingNode()) {
      throw new JsonValueException(path, idl, "missing");
    }
    if (type instanceof Type.Builtin b) {
      builtin(b, idl, node, path, out);
    } else if (type instanceof Type.StringType s) {
      if (!node.isTextual()) {
        throw new JsonValueException(path, idl, "expected a string, got " + Scalars.kind(node));
      }
      int bytes = node.textValue().getBytes(StandardCharsets.UTF_8).length;
      if (bytes > s.max()) {
        throw new JsonValueException(path, idl, bytes + " bytes of UTF-8 exceed the bound " + s.max());
      }
      out.writeString(node.textValue(), s.max());
    } else if (type instanceof Type.Opaque o) {
      byte[] bytes = Scalars.bytes(node, path, idl);
      if (o.fixed() ? bytes.length != o.size() : bytes.length > o.size()) {
        // Say how the text was read: "abc" meant as 3 bytes of text is base64 for 2.
        throw new JsonValueException(path, idl, Scalars.bytesRead(node, bytes.length) + ", "
            + (o.fixed() ? "expected exactly " : "at most ") + o.size());
      }
      if (o.fixed()) {
        out.writeFixedOpaque(bytes, o.size());
      } else {
        out.writeOpaque(bytes, o.size());
      }
    } else if (type instanceof Type.Array a) {
      array(a, idl, TypeNames.elementWritten(written), node, path, out);
    } else if (type instanceof Type.Optional o) {
      out.writeOptionalFlag(!node.isNull());
      if (!node.isNull()) {
        write(o.element(), TypeNames.elementWritten(written), node, path, out);
      }
    } else if (type instanceof Type.Defined d) {
      TypeDecl decl = schema.type(d.name());
      if (decl instanceof TypeDecl.EnumType e) {
        out.writeEnum(enumValue(e, node, path));
      } else if (decl instanceof TypeDecl.StructType s) {
        fields(s.fields(), node, path, idl, out);
      } else if (decl instanceof TypeDecl.UnionType u) {
        union(u, node, path, out);
      } else {
        throw new JsonValueException(path, idl, "this type is not supported by onyx call yet");
      }
    } else {
      throw new JsonValueException(path, idl, "this type is not supported by onyx call yet");
    }
  }

  /**
   * Writes the members of a JSON object in the order of {@code fields} (a struct, or a
   * procedure's parameters); a missing or unknown member is an error.
   *
   * @param fields the members, in wire order
   * @param node the JSON object
   * @param path where {@code node} is in the input, for error messages
   * @param idl how the IDL names what is written (a struct, a parameter list), for error messages
   * @param out where the XDR goes
   */
  public void fields(List<Field> fields, JsonNode node, String path, String idl, XdrWriter out) {
    if (!node.isObject()) {
      // Name the members: a procedure of one parameter is called with {"arg1": …}, not the bare
      // value, which a user coming from rpcgen's positional arguments tries first.
      throw new JsonValueException(path, idl, "expected an object " + shape(fields) + ", got " + Scalars.kind(node));
    }
    // Unknown members first: a misspelt name is reported as itself, with the names expected.
    unknownMembers(node, fields.stream().map(Field::name).toList(), path, idl);
    // Every missing member at once: a user filling in a struct learns all its names in one go.
    // An optional one (T *) must be there too, as null: say so, or "missing" reads as a bug.
    List<String> missing = fields.stream().filter(field -> node.get(field.name()) == null)
        .map(field -> "\"" + field.name() + "\"" + (field.type() instanceof Type.Optional ? " (null for none)" : ""))
        .toList();
    if (!missing.isEmpty()) {
      throw new JsonValueException(path, idl, (missing.size() == 1 ? "missing member " : "missing members ")
          + String.join(", ", missing));
    }
    for (Field field : fields) {
      write(field.type(), field.written(), node.get(field.name()), path + "." + field.name(), out);
    }
  }

  /** The JSON object {@code fields} make, as a template: {@code {"a": …, "b": …}}, or {@code {}}. */
  private static String shape(List<Field> fields) {
    return fields.stream().map(field -> "\"" + field.name() + "\": …")
        .collect(Collectors.joining(", ", "{", "}"));
  }

  private void builtin(Type.Builtin b, String idl, JsonNode node, String path, XdrWriter out) {
    switch (b) {
      case INT -> out.writeInt(integer(b, idl, node, path).intValue());
      case UNSIGNED_INT -> out.writeUnsignedInt(integer(b, idl, node, path).intValue());
      case HYPER -> out.writeHyper(integer(b, idl, node, path).longValue());
      case UNSIGNED_HYPER -> out.writeUnsignedHyper(integer(b, idl, node, path).longValue());
      case FLOAT -> out.writeFloat(Scalars.single(node, path, idl));
      case DOUBLE -> out.writeDouble(Scalars.real(node, path, idl));
      case BOOL -> out.writeBool(Scalars.bool(node, path, idl));
      case CHAR -> out.writeChar(integer(b, idl, node, path).intValue());
      case INT8 -> out.writeInt8(integer(b, idl, node, path).intValue());
      case UNSIGNED_CHAR -> out.writeUnsignedChar(integer(b, idl, node, path).intValue());
      case SHORT -> out.writeShort(integer(b, idl, node, path).intValue());
      case UNSIGNED_SHORT -> out.writeUnsignedShort(integer(b, idl, node, path).intValue());
      default -> throw new JsonValueException(path, idl, "this type is not supported by onyx call yet");
    }
  }

  /**
   * A whole number in the range of the integer type {@code b}, field or union discriminant
   * alike: rpcgen's char and short keep C's (char -128 to 255, as signed and unsigned C chars
   * send it), since C would cut a wider value to its low bits.
   */
  private static BigInteger integer(Type.Builtin b, String idl, JsonNode node, String path) {
    Range range = switch (b) {
      case INT -> Range.of(Integer.MIN_VALUE, Integer.MAX_VALUE);
      case UNSIGNED_INT -> Range.of(0, 0xFFFF_FFFFL);
      case CHAR -> Range.of(Byte.MIN_VALUE, 0xFF);
      case INT8 -> Range.of(Byte.MIN_VALUE, Byte.MAX_VALUE);
      case UNSIGNED_CHAR -> Range.of(0, 0xFF);
      case SHORT -> Range.of(Short.MIN_VALUE, Short.MAX_VALUE);
      case UNSIGNED_SHORT -> Range.of(0, 0xFFFF);
      case HYPER -> Range.of(Long.MIN_VALUE, Long.MAX_VALUE);
      case UNSIGNED_HYPER -> UNSIGNED_HYPER_RANGE;
      default -> throw new IllegalArgumentException(b + " is not an integer type");
    };
    return Scalars.integer(node, range.min(), range.max(), path, idl);
  }

  /** The values of an integer type, both ends included. */
  private record Range(BigInteger min, BigInteger max) {
    static Range of(long min, long max) {
      return new Range(BigInteger.valueOf(min), BigInteger.valueOf(max));
    }
  }

  private void array(Type.Array a, String idl, String elementWritten, JsonNode node, String path, XdrWriter out) {
    if (!node.isArray()) {
      throw new JsonValueException(path, idl, "expected an array, got " + Scalars.kind(node));
    }
    int n = node.size();
    if (a.fixed() ? n != a.size() : n > a.size()) {
      throw new JsonValueException(path, idl, n + " elements, "
          + (a.fixed() ? "expected exactly " : "at most ") + a.size());
    }
    if (!a.fixed()) {
      out.writeArrayLength(n, a.size());
    }
    for (int i = 0; i < n; i++) {
      write(a.element(), elementWritten, node.get(i), path + "[" + i + "]", out);
    }
  }

  private static int enumValue(TypeDecl.EnumType e, JsonNode node, String path) {
    if (node.isTextual()) {
      for (TypeDecl.EnumConstant c : e.constants()) {
        if (c.name().equals(node.textValue())) {
          return c.value();
        }
      }
    } else if (node.isIntegralNumber()) {
      for (TypeDecl.EnumConstant c : e.constants()) {
        if (node.canConvertToInt() && c.value() == node.intValue()) {
          return c.value();
        }
      }
    }
    List<String> names = new ArrayList<>();
    e.constants().forEach(c -> names.add(c.name()));
    throw new JsonValueException(path, e.name(), Scalars.kind(node) + " is not one of " + names
        + " (or their numbers)");
  }

  private void union(TypeDecl.UnionType u, JsonNode node, String path, XdrWriter out) {
    if (!node.isObject()) {
      throw new JsonValueException(path, u.name(),
          "expected {\"discriminant\": …, \"value\": …}, got " + Scalars.kind(node));
    }
    unknownMembers(node, List.of(Unions.DISCRIMINANT, Unions.VALUE), path, u.name());
    JsonNode d = node.get(Unions.DISCRIMINANT);
    if (d == null) {
      throw new JsonValueException(path, u.name(), "missing member \"discriminant\"");
    }
    Type dType = u.discriminant().type();
    String dPath = path + "." + Unions.DISCRIMINANT;
    long value = discriminant(dType, d, dPath);
    TypeDecl.Arm arm = Unions.arm(u, value);
    if (arm == null) {
      throw new JsonValueException(dPath, TypeNames.idl(dType), d + " selects no arm of " + u.name());
    }
    write(dType, d, dPath, out);
    JsonNode v = node.get(Unions.VALUE);
    if (arm.field() == null) {
      if (v != null && !v.isNull()) {
        throw new JsonValueException(path, u.name(), "the arm of " + d + " is void: leave \"value\" out");
      }
    } else {
      if (v == null) {
        throw new JsonValueException(path, u.name(), "missing member \"value\" (" + arm.field().name() + ")");
      }
      write(arm.field().type(), v, path + "." + Unions.VALUE, out);
    }
  }

  private long discriminant(Type type, JsonNode node, String path) {
    if (type == Type.Builtin.BOOL) {
      return Scalars.bool(node, path, TypeNames.idl(type)) ? 1 : 0;
    } else if (type instanceof Type.Builtin b) {
      return integer(b, b.idl(), node, path).longValue();
    } else if (type instanceof Type.Defined d && schema.type(d.name()) instanceof TypeDecl.EnumType e) {
      return enumValue(e, node, path);
    }
    throw new JsonValueException(path, TypeNames.idl(type), "not a union discriminant's type");
  }

  /** Rejects a member not in {@code known}, listing those in declaration order. */
  private static void unknownMembers(JsonNode node, List<String> known, String path, String idl) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        throw new JsonValueException(path, idl, "unknown member \"" + name + "\"; expected "
            + known);
      }
    }
  }
}
