package org.onyxrpc.cli.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.List;
import org.onyxrpc.idl.schema.Field;
import org.onyxrpc.idl.schema.Schema;
import org.onyxrpc.idl.schema.Type;
import org.onyxrpc.idl.schema.TypeDecl;
import org.onyxrpc.xdr.XdrException;
import org.onyxrpc.xdr.XdrReader;

/**
 * Reads the XDR of a schema type into JSON, by the mapping of cli/README.md. Lengths are checked
 * by {@link XdrReader} against their bounds and the bytes left before anything is allocated;
 * nesting deeper than {@link #MAX_DEPTH} (a long linked list, a hostile reply) is refused rather
 * than overflowing the stack. Each JSON node is charged to the reader before it is made, so that
 * the reader's {@code XdrLimits} bound the whole tree: a small struct of 4 bytes on the wire makes
 * some 200 bytes of nodes, and a reply of many would otherwise exhaust the heap within its limits.
 */
public final class XdrToJson {
  /** Deepest nesting of optional data, structs, unions and arrays read. */
  public static final int MAX_DEPTH = 500;

  /** Largest magnitude a JSON number keeps exactly in a double: 2^53. */
  static final long EXACT = 1L << 53;

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  /** A number or text node: a header and one field. */
  private static final int VALUE_FIELDS = 1;
  /**
   * An object node (2 fields), its {@code LinkedHashMap} (11) and the map's first table of 16,
   * each with its header: charged as one object of this many fields (280 bytes).
   */
  private static final int OBJECT_FIELDS = 33;
  /**
   * A member: its map entry (6 fields) and its share of the tables the map outgrows (the tables
   * double at three quarters full, so together they hold at most 5.4 references a member).
   */
  private static final int MEMBER_FIELDS = 12;
  /** A hyper shown as text: its node, the string and its array of up to 20 digits. */
  private static final int NUMBER_TEXT_FIELDS = 9;

  private final Schema schema;

  /**
   * A decoder for the types of {@code schema}.
   *
   * @param schema the checked schema whose named types values are decoded as
   */
  public XdrToJson(Schema schema) {
    this.schema = schema;
  }

  /**
   * Reads one value of {@code type}.
   *
   * @param type the IDL type to decode
   * @param in the XDR
   * @return the value as JSON
   */
  public JsonNode read(Type type, XdrReader in) {
    return read(type, in, 0);
  }

  /**
   * Reads the members of a struct, or an exception's fields, into an object.
   *
   * @param fields the fields, in XDR order
   * @param in the XDR
   * @return an object with a member per field, by name
   */
  public ObjectNode fields(List<Field> fields, XdrReader in) {
    return fields(fields, in, 0);
  }

  private ObjectNode fields(List<Field> fields, XdrReader in, int depth) {
    ObjectNode object = object(in);
    for (Field field : fields) {
      in.countObject(MEMBER_FIELDS);
      object.set(field.name(), read(field.type(), in, depth + 1));
    }
    return object;
  }

  private static ObjectNode object(XdrReader in) {
    in.countObject(OBJECT_FIELDS);
    return JSON.objectNode();
  }

  private JsonNode read(Type type, XdrReader in, int depth) {
    if (depth > MAX_DEPTH) {
      throw new XdrException("value nested deeper than " + MAX_DEPTH + " levels");
    }
    if (type instanceof Type.Builtin b) {
      return builtin(b, in);
    } else if (type instanceof Type.StringType s) {
      String text = in.readString(s.max());
      in.countObject(VALUE_FIELDS);
      return JSON.textNode(text);
    } else if (type instanceof Type.Opaque o) {
      byte[] bytes = o.fixed() ? in.readFixedOpaque(o.size()) : in.readOpaque(o.size());
      // Base64 encodes into an array that its string copies: two arrays of 4 bytes per 3, a
      // string and a node (48 bytes), charged as an object's 8-byte fields.
      long base64 = 4 * ((bytes.length + 2L) / 3);
      in.countObject((int) ((2 * (32 + base64) + 48 + 7) / 8));
      return JSON.textNode(Base64.getEncoder().encodeToString(bytes));
    } else if (type instanceof Type.Array a) {
      int min = MinimumSize.of(a.element(), schema);
      int n;
      if (a.fixed()) {
        in.checkFixedArray(a.size(), min);
        n = a.size();
      } else {
        n = in.readArrayLength(a.size(), min);
      }
      ArrayNode array = JSON.arrayNode(n); // its list and array charged with the count
      for (int i = 0; i < n; i++) {
        array.add(read(a.element(), in, depth + 1));
      }
      return array;
    } else if (type instanceof Type.Optional o) {
      return in.readOptionalFlag() ? read(o.element(), in, depth + 1) : JSON.nullNode();
    } else if (type instanceof Type.Defined d) {
      TypeDecl decl = schema.type(d.name());
      if (decl instanceof TypeDecl.EnumType e) {
        int value = in.readEnum();
        in.countObject(VALUE_FIELDS);
        return enumNode(e, value);
      } else if (decl instanceof TypeDecl.StructType s) {
        return fields(s.fields(), in, depth);
      } else if (decl instanceof TypeDecl.UnionType u) {
        return union(u, in, depth);
      }
    }
    throw new XdrException("cannot read " + TypeNames.idl(type) + ": not supported by onyx yet");
  }

  private static JsonNode builtin(Type.Builtin b, XdrReader in) {
    if (b != Type.Builtin.BOOL) { // the two boolean nodes are shared
      in.countObject(b == Type.Builtin.HYPER || b == Type.Builtin.UNSIGNED_HYPER
          ? NUMBER_TEXT_FIELDS : VALUE_FIELDS);
    }
    return switch (b) {
      case INT -> JSON.numberNode(in.readInt());
      case UNSIGNED_INT -> JSON.numberNode(Integer.toUnsignedLong(in.readUnsignedInt()));
      case HYPER -> {
        long v = in.readHyper();
        yield Math.abs(v) <= EXACT && v != Long.MIN_VALUE ? JSON.numberNode(v) : JSON.textNode(Long.toString(v));
      }
      case UNSIGNED_HYPER -> {
        long v = in.readUnsignedHyper();
        yield v >= 0 && v <= EXACT ? JSON.numberNode(v) : JSON.textNode(Long.toUnsignedString(v));
      }
      case FLOAT -> single(in.readFloat());
      case DOUBLE -> real(in.readDouble());
      case BOOL -> JSON.booleanNode(in.readBool());
      case CHAR -> JSON.numberNode(in.readChar());
      case INT8 -> JSON.numberNode(in.readInt8());
      case UNSIGNED_CHAR -> JSON.numberNode(in.readUnsignedChar());
      case SHORT -> JSON.numberNode(in.readShort());
      case UNSIGNED_SHORT -> JSON.numberNode(in.readUnsignedShort());
      default -> throw new XdrException("cannot read " + b.idl() + ": not supported by onyx yet");
    };
  }

  /** A float as its shortest decimal ({@code 0.1}), not the double it widens to (0.10000000149011612). */
  private static JsonNode single(float v) {
    return Float.isFinite(v) ? JSON.numberNode(v) : real(v);
  }

  private static JsonNode real(double v) {
    if (Double.isNaN(v)) {
      return JSON.textNode("NaN");
    }
    if (Double.isInfinite(v)) {
      return JSON.textNode(v > 0 ? "Infinity" : "-Infinity");
    }
    return JSON.numberNode(v);
  }

  private static JsonNode enumNode(TypeDecl.EnumType e, int value) {
    for (TypeDecl.EnumConstant c : e.constants()) {
      if (c.value() == value) {
        return JSON.textNode(c.name());
      }
    }
    return JSON.numberNode(value); // undeclared: shown as it came, not hidden
  }

  private JsonNode union(TypeDecl.UnionType u, XdrReader in, int depth) {
    Type dType = u.discriminant().type();
    JsonNode d;
    long value;
    if (dType == Type.Builtin.BOOL) {
      boolean b = in.readBool();
      d = JSON.booleanNode(b);
      value = b ? 1 : 0;
    } else if (dType instanceof Type.Builtin b) {
      d = builtin(b, in); // as a field of its type: rpcgen's char and short within C's range
      value = d.longValue();
    } else if (dType instanceof Type.Defined def && schema.type(def.name()) instanceof TypeDecl.EnumType e) {
      value = in.readEnum();
      in.countObject(VALUE_FIELDS);
      d = enumNode(e, (int) value);
    } else {
      throw new XdrException("cannot read " + u.name() + ": " + TypeNames.idl(dType)
          + " is not a union discriminant's type");
    }
    TypeDecl.Arm arm = Unions.arm(u, value);
    if (arm == null) {
      throw new XdrException(u.name() + " has no arm for discriminant " + d);
    }
    ObjectNode object = object(in);
    in.countObject(MEMBER_FIELDS);
    object.set(Unions.DISCRIMINANT, d);
    if (arm.field() != null) {
      in.countObject(MEMBER_FIELDS);
      object.set(Unions.VALUE, read(arm.field().type(), in, depth + 1));
    }
    return object;
  }
}
