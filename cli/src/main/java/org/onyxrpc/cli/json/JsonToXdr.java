package org.onyxrpc.cli.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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
  static final BigInteger INT_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
  static final BigInteger INT_MAX = BigInteger.valueOf(Integer.MAX_VALUE);
  static final BigInteger UINT_MAX = BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE);
  static final BigInteger HYPER_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  static final BigInteger HYPER_MAX = BigInteger.valueOf(Long.MAX_VALUE);
  static final BigInteger UHYPER_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private final Schema schema;

  /** An encoder for the types of {@code schema}. */
  public JsonToXdr(Schema schema) {
    this.schema = schema;
  }

  /** Writes {@code node}, found at {@code path} of the input, as {@code type}. */
  public void write(Type type, JsonNode node, String path, XdrWriter out) {
    String idl = TypeNames.idl(type);
    if (node == null || node.isMissingNode()) {
      throw new JsonValueException(path, idl, "missing");
    }
    if (type instanceof Type.Builtin b) {
      builtin(b, node, path, out);
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
        throw new JsonValueException(path, idl, bytes.length + " bytes, "
            + (o.fixed() ? "expected exactly " : "at most ") + o.size());
      }
      if (o.fixed()) {
        out.writeFixedOpaque(bytes, o.size());
      } else {
        out.writeOpaque(bytes, o.size());
      }
    } else if (type instanceof Type.Array a) {
      array(a, node, path, out);
    } else if (type instanceof Type.Optional o) {
      out.writeOptionalFlag(!node.isNull());
      if (!node.isNull()) {
        write(o.element(), node, path, out);
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
   */
  public void fields(List<Field> fields, JsonNode node, String path, String idl, XdrWriter out) {
    if (!node.isObject()) {
      throw new JsonValueException(path, idl, "expected an object, got " + Scalars.kind(node));
    }
    // Unknown members first: a misspelt name is reported as itself, with the names expected.
    unknownMembers(node, fields.stream().map(Field::name).toList(), path, idl);
    for (Field field : fields) {
      if (node.get(field.name()) == null) {
        throw new JsonValueException(path, idl, "missing member \"" + field.name() + "\"");
      }
    }
    for (Field field : fields) {
      write(field.type(), node.get(field.name()), path + "." + field.name(), out);
    }
  }

  private void builtin(Type.Builtin b, JsonNode node, String path, XdrWriter out) {
    String idl = b.idl();
    switch (b) {
      case INT -> out.writeInt(Scalars.integer(node, INT_MIN, INT_MAX, path, idl).intValue());
      case UNSIGNED_INT ->
          out.writeUnsignedInt(Scalars.integer(node, BigInteger.ZERO, UINT_MAX, path, idl).intValue());
      case HYPER -> out.writeHyper(Scalars.integer(node, HYPER_MIN, HYPER_MAX, path, idl).longValue());
      case UNSIGNED_HYPER ->
          out.writeUnsignedHyper(Scalars.integer(node, BigInteger.ZERO, UHYPER_MAX, path, idl).longValue());
      case FLOAT -> out.writeFloat((float) Scalars.real(node, path, idl));
      case DOUBLE -> out.writeDouble(Scalars.real(node, path, idl));
      case BOOL -> out.writeBool(Scalars.bool(node, path, idl));
      case CHAR -> out.writeChar(narrow(node, Byte.MIN_VALUE, 0xFF, path, idl));
      case UNSIGNED_CHAR -> out.writeUnsignedChar(narrow(node, 0, 0xFF, path, idl));
      case SHORT -> out.writeShort(narrow(node, Short.MIN_VALUE, Short.MAX_VALUE, path, idl));
      case UNSIGNED_SHORT -> out.writeUnsignedShort(narrow(node, 0, 0xFFFF, path, idl));
      default -> throw new JsonValueException(path, idl, "this type is not supported by onyx call yet");
    }
  }

  private static int narrow(JsonNode node, int min, int max, String path, String idl) {
    return Scalars.integer(node, BigInteger.valueOf(min), BigInteger.valueOf(max), path, idl).intValue();
  }

  private void array(Type.Array a, JsonNode node, String path, XdrWriter out) {
    String idl = TypeNames.idl(a);
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
      write(a.element(), node.get(i), path + "[" + i + "]", out);
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
    String idl = TypeNames.idl(type);
    if (type == Type.Builtin.BOOL) {
      return Scalars.bool(node, path, idl) ? 1 : 0;
    } else if (type == Type.Builtin.UNSIGNED_INT) {
      return Scalars.integer(node, BigInteger.ZERO, UINT_MAX, path, idl).longValue();
    } else if (type instanceof Type.Defined d && schema.type(d.name()) instanceof TypeDecl.EnumType e) {
      return enumValue(e, node, path);
    }
    return Scalars.integer(node, INT_MIN, INT_MAX, path, idl).longValue();
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
