package org.onyxrpc.cli.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.onyxrpc.idl.schema.Field;
import org.onyxrpc.idl.schema.Schema;
import org.onyxrpc.idl.schema.Type;
import org.onyxrpc.idl.schema.TypeDecl;

/**
 * A JSON value of the right shape for a type, to fill in: zeros, empty strings, the first enum
 * constant, a union's first arm, one element per variable array, {@code null} for optional data.
 * It encodes as it is, so {@code describe}'s templates can be passed to {@code call} unchanged.
 */
public final class JsonTemplate {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final Schema schema;

  /**
   * Templates for the types of {@code schema}.
   *
   * @param schema the checked schema whose named types the templates expand
   */
  public JsonTemplate(Schema schema) {
    this.schema = schema;
  }

  /**
   * The arguments object of a parameter list.
   *
   * @param parameters a procedure's parameters
   * @return an object with a placeholder value for each parameter, by name
   */
  public ObjectNode arguments(List<Field> parameters) {
    return fields(parameters, new HashSet<>());
  }

  private ObjectNode fields(List<Field> fields, Set<String> open) {
    ObjectNode o = JSON.objectNode();
    for (Field f : fields) {
      o.set(f.name(), of(f.type(), open));
    }
    return o;
  }

  private JsonNode of(Type type, Set<String> open) {
    if (type instanceof Type.Builtin b) {
      return switch (b) {
        case BOOL -> JSON.booleanNode(false);
        case FLOAT, DOUBLE -> JSON.numberNode(0.0);
        default -> JSON.numberNode(0);
      };
    } else if (type instanceof Type.StringType) {
      return JSON.textNode("");
    } else if (type instanceof Type.Opaque o) {
      return JSON.textNode(Base64.getEncoder().encodeToString(new byte[o.fixed() ? o.size() : 0]));
    } else if (type instanceof Type.Array a) {
      ArrayNode array = JSON.arrayNode();
      int n = a.fixed() ? a.size() : Math.min(1, a.size());
      JsonNode element = a.fixed() || !selfReferring(a.element(), open) ? of(a.element(), open) : null;
      for (int i = 0; i < n && element != null; i++) {
        array.add(element.deepCopy());
      }
      return array;
    } else if (type instanceof Type.Optional) {
      return JSON.nullNode();
    } else if (type instanceof Type.Defined d) {
      TypeDecl decl = schema.type(d.name());
      if (decl instanceof TypeDecl.EnumType e) {
        return JSON.textNode(e.constants().get(0).name());
      }
      if (!open.add(d.name())) {
        return JSON.nullNode(); // unreachable for a checked schema: recursion needs '*' or '<>'
      }
      try {
        if (decl instanceof TypeDecl.StructType s) {
          return fields(s.fields(), open);
        }
        if (decl instanceof TypeDecl.UnionType u) {
          return union(u, open);
        }
      } finally {
        open.remove(d.name());
      }
    }
    return JSON.nullNode();
  }

  private boolean selfReferring(Type element, Set<String> open) {
    return element instanceof Type.Defined d && open.contains(d.name());
  }

  private JsonNode union(TypeDecl.UnionType u, Set<String> open) {
    ObjectNode o = JSON.objectNode();
    TypeDecl.Arm arm = u.arms().isEmpty() ? u.defaultArm() : u.arms().get(0);
    TypeDecl.Label label = arm.labels().isEmpty() ? null : arm.labels().get(0);
    Type dType = u.discriminant().type();
    if (dType == Type.Builtin.BOOL) {
      o.put(Unions.DISCRIMINANT, label != null && label.value() != 0);
    } else if (label != null && label.name() != null && dType instanceof Type.Defined) {
      o.put(Unions.DISCRIMINANT, label.name());
    } else if (dType instanceof Type.Defined def && schema.type(def.name()) instanceof TypeDecl.EnumType e) {
      o.put(Unions.DISCRIMINANT, label != null ? enumName(e, label.value()) : e.constants().get(0).name());
    } else {
      o.put(Unions.DISCRIMINANT, label != null ? label.value() : 0);
    }
    if (arm.field() != null) {
      o.set(Unions.VALUE, of(arm.field().type(), open));
    }
    return o;
  }

  private static String enumName(TypeDecl.EnumType e, long value) {
    return e.constants().stream().filter(c -> c.value() == value).map(TypeDecl.EnumConstant::name)
        .findFirst().orElse(e.constants().get(0).name());
  }
}
