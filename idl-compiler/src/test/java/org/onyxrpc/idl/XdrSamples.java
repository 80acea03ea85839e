package org.onyxrpc.idl;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.onyxrpc.idl.schema.Schema;
import org.onyxrpc.idl.schema.Type;
import org.onyxrpc.idl.schema.TypeDecl;

/**
 * Random XDR bytes valid for a schema type, seeded and so reproducible: declared enum values,
 * union discriminants of a {@code case} or of the {@code default} arm, optional flags of 0 or 1,
 * counts within their bounds, zero padding and strings of printable ASCII or, now and then, any
 * bytes but NUL (C's strings end at a NUL). Each sample also marks where it can be made invalid
 * (a word to replace or a byte of padding), so that the invalid inputs are one defect each.
 */
final class XdrSamples {
  /** What a mark lets a test break. */
  enum Defect {
    TRUNCATED, BAD_ENUM, BAD_DISCRIMINANT, BAD_BOOL, BAD_OPTIONAL_FLAG, OVER_BOUND, NONZERO_PADDING,
    /** A value beyond what rpcgen's char or short (signed or not) holds. */
    OUT_OF_RANGE
  }

  /** A place in a sample: the word at {@code offset} becomes {@code value} (padding: one byte). */
  record Mark(Defect defect, int offset, int value) {}

  /** The bytes of one value and its marks. */
  record Sample(byte[] bytes, List<Mark> marks) {
    /** The bytes with {@code mark} applied. */
    byte[] broken(Mark mark) {
      byte[] copy = bytes.clone();
      if (mark.defect() == Defect.TRUNCATED) {
        return java.util.Arrays.copyOf(bytes, bytes.length - 1);
      }
      if (mark.defect() == Defect.NONZERO_PADDING) {
        copy[mark.offset()] = (byte) mark.value();
        return copy;
      }
      for (int i = 0; i < 4; i++) {
        copy[mark.offset() + i] = (byte) (mark.value() >>> (24 - 8 * i));
      }
      return copy;
    }
  }

  /** Thrown when a recursive type would not end within the nesting this generator allows. */
  static final class TooDeep extends RuntimeException {
    private static final long serialVersionUID = 1;

    TooDeep() {
      super("too deep", null, false, false);
    }
  }

  private static final int MINIMAL_DEPTH = 6;
  private static final int MAX_DEPTH = 40;
  private static final int MAX_BYTES = 1 << 20;

  private final Schema schema;
  private final Random random;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final List<Mark> marks = new ArrayList<>();
  private boolean minimal;
  private int depth;

  private XdrSamples(Schema schema, long seed, boolean minimal) {
    this.schema = schema;
    this.random = new Random(seed);
    this.minimal = minimal;
  }

  /**
   * A valid value of each of {@code types}, one after the other (the several arguments of a
   * procedure): the smallest one when {@code minimal} (empty arrays, absent optionals), else
   * random with bounded sizes. Throws {@link TooDeep} for a type that holds itself on every path
   * the seed took.
   */
  static Sample of(Schema schema, List<Type> types, long seed, boolean minimal) {
    XdrSamples samples = new XdrSamples(schema, seed, minimal);
    types.forEach(samples::write);
    byte[] bytes = samples.out.toByteArray();
    List<Mark> marks = new ArrayList<>(samples.marks);
    if (bytes.length > 0) {
      marks.add(new Mark(Defect.TRUNCATED, bytes.length - 1, 0));
    }
    return new Sample(bytes, List.copyOf(marks));
  }

  private void write(Type type) {
    if (out.size() > MAX_BYTES) {
      throw new TooDeep();
    }
    if (type instanceof Type.Builtin builtin) {
      writeBuiltin(builtin);
    } else if (type instanceof Type.StringType string) {
      int length = length(string.max(), 12);
      bound(string.max());
      writeInt(length);
      byte[] text = new byte[length];
      // Now and then any byte but NUL (C's string ends there): Latin-1, UTF-8 and neither,
      // which Onyx must send back as they came.
      boolean binary = random.nextInt(4) == 0;
      for (int i = 0; i < length; i++) {
        text[i] = (byte) (binary ? 1 + random.nextInt(0xff) : 0x20 + random.nextInt(0x5f));
      }
      writeBytes(text);
    } else if (type instanceof Type.Opaque opaque) {
      int length;
      if (opaque.fixed()) {
        length = opaque.size();
      } else {
        length = length(opaque.size(), 12);
        bound(opaque.size());
        writeInt(length);
      }
      byte[] data = new byte[length];
      random.nextBytes(data);
      writeBytes(data);
    } else if (type instanceof Type.Optional optional) {
      boolean present = !minimal && depth < MINIMAL_DEPTH && random.nextInt(3) != 0;
      if (present) {
        // Only a present flag: C reads any flag but 0 as present, and then the bytes that follow.
        mark(Defect.BAD_OPTIONAL_FLAG, 2);
      }
      writeInt(present ? 1 : 0);
      if (present) {
        write(optional.element());
      }
    } else if (type instanceof Type.Array array) {
      int count = array.size();
      if (!array.fixed()) {
        count = length(array.size(), 4);
        bound(array.size());
        writeInt(count);
      }
      for (int i = 0; i < count; i++) {
        write(array.element());
      }
    } else if (type instanceof Type.Defined defined) {
      if (++depth > MAX_DEPTH) {
        throw new TooDeep();
      }
      boolean wasMinimal = minimal;
      minimal |= depth > MINIMAL_DEPTH;
      writeDecl(schema.type(defined.name()));
      minimal = wasMinimal;
      depth--;
    }
  }

  private void writeDecl(TypeDecl decl) {
    if (decl instanceof TypeDecl.EnumType e) {
      mark(Defect.BAD_ENUM, undeclared(e.constants().stream().map(c -> (long) c.value()).toList()));
      writeInt(e.constants().get(random.nextInt(e.constants().size())).value());
    } else if (decl instanceof TypeDecl.StructType s) {
      s.fields().forEach(f -> write(f.type()));
    } else if (decl instanceof TypeDecl.UnionType u) {
      writeUnion(u);
    }
  }

  private void writeUnion(TypeDecl.UnionType union) {
    List<Long> labels = new ArrayList<>();
    List<TypeDecl.Arm> arms = new ArrayList<>();
    for (TypeDecl.Arm arm : union.arms()) {
      for (TypeDecl.Label label : arm.labels()) {
        labels.add(label.value());
        arms.add(arm);
      }
    }
    Long defaultValue = union.defaultArm() == null ? null : defaultValue(union, labels);
    int choices = labels.size() + (defaultValue == null ? 0 : 1);
    int choice = random.nextInt(choices);
    if (minimal) {
      // The first arm that cannot hold the union again, so that recursion ends.
      for (int i = 0; i < choices; i++) {
        TypeDecl.Arm arm = i < labels.size() ? arms.get(i) : union.defaultArm();
        if (arm.field() == null || !(arm.field().type() instanceof Type.Defined d)
            || schema.type(d.name()) instanceof TypeDecl.EnumType) {
          choice = i;
          break;
        }
      }
    }
    long value = choice < labels.size() ? labels.get(choice) : defaultValue;
    TypeDecl.Arm arm = choice < labels.size() ? arms.get(choice) : union.defaultArm();
    Type discriminant = union.discriminant().type();
    TypeDecl.EnumType enumType = discriminant instanceof Type.Defined d
        && schema.type(d.name()) instanceof TypeDecl.EnumType e ? e : null;
    if (discriminant == Type.Builtin.BOOL) {
      if (value == 1) {
        // C reads any bool but 0 as TRUE: 2 in place of 1 is still the TRUE arm for it.
        mark(Defect.BAD_BOOL, 2);
      }
      if (union.defaultArm() == null && labels.size() == 1) {
        // The other truth value, which no arm takes.
        mark(Defect.BAD_DISCRIMINANT, labels.get(0) == 0 ? 1 : 0);
      }
    } else if (union.defaultArm() == null) {
      // Of an enum, a declared value no arm takes where there is one: the union must reject
      // it, not only the enum an undeclared one.
      Long armless = enumType == null ? null : enumType.constants().stream()
          .map(c -> (long) c.value()).filter(v -> !labels.contains(v)).findFirst().orElse(null);
      mark(Defect.BAD_DISCRIMINANT, armless != null ? (int) (long) armless : undeclared(labels));
    } else if (enumType != null && choice == labels.size()) {
      // An enum no constant names is no value of the type, for the default arm either (C: an
      // int, so the same default arm).
      mark(Defect.BAD_ENUM, undeclared(enumType.constants().stream().map(c -> (long) c.value())
          .toList()));
    }
    int[] narrow = narrowRange(union.discriminant().type());
    if (narrow != null) {
      // The same arm for C, which keeps the low bits; beyond the type for Onyx, whose char also
      // takes 128 to 255 (an unsigned char's): so away from zero.
      int span = narrow[1] - narrow[0] + 1;
      mark(Defect.OUT_OF_RANGE, (int) (value < 0 ? value - span : value + span));
    }
    if (discriminant == Type.Builtin.HYPER || discriminant == Type.Builtin.UNSIGNED_HYPER) {
      writeInt((int) (value >> 32)); // rpcgen's unions on a hyper (fastxdr's xdr_spec.x)
    }
    writeInt((int) value);
    if (arm.field() != null) {
      write(arm.field().type());
    }
  }

  /** A discriminant value no case names, of the discriminant's type; null when none is left. */
  private Long defaultValue(TypeDecl.UnionType union, List<Long> labels) {
    Set<Long> taken = new TreeSet<>(labels);
    Type type = union.discriminant().type();
    List<Long> candidates = new ArrayList<>();
    if (type == Type.Builtin.BOOL) {
      candidates.addAll(List.of(0L, 1L));
    } else if (type instanceof Type.Defined d && schema.type(d.name()) instanceof TypeDecl.EnumType e) {
      e.constants().forEach(c -> candidates.add((long) c.value()));
    } else if (narrowRange(type) != null) {
      // C's char and short discriminants keep only their low bits: a value beyond them is
      // another case for C, an error for Onyx (VERDICTS' OUT_OF_RANGE), not a default arm.
      int[] range = narrowRange(type);
      for (int i = 0; i < 8; i++) {
        long value = i < 2 ? i - 1 : range[0] + random.nextInt(range[1] - range[0] + 1);
        if (value >= range[0] && value <= range[1]) {
          candidates.add(value);
        }
      }
    } else {
      for (int i = 0; i < 8; i++) {
        candidates.add((long) (i < 2 ? i - 1 : random.nextInt()));
      }
    }
    candidates.removeIf(v -> taken.contains(v) || taken.contains(v & 0xffffffffL));
    return candidates.isEmpty() ? null : candidates.get(random.nextInt(candidates.size()));
  }

  /** The values of C's char or short {@code type}, {min, max}; null for a 32-bit type. */
  private static int[] narrowRange(Type type) {
    if (!(type instanceof Type.Builtin builtin)) {
      return null;
    }
    return switch (builtin) {
      case CHAR, INT8 -> new int[] {Byte.MIN_VALUE, Byte.MAX_VALUE};
      case UNSIGNED_CHAR -> new int[] {0, 0xFF};
      case SHORT -> new int[] {Short.MIN_VALUE, Short.MAX_VALUE};
      case UNSIGNED_SHORT -> new int[] {0, 0xFFFF};
      default -> null;
    };
  }

  /** A 32-bit value not among {@code declared} (compared as 32 bits). */
  private static int undeclared(List<Long> declared) {
    Set<Integer> taken = new TreeSet<>();
    declared.forEach(v -> taken.add((int) (long) v));
    int candidate = 0x7eadbeef;
    while (taken.contains(candidate)) {
      candidate++;
    }
    return candidate;
  }

  private void writeBuiltin(Type.Builtin builtin) {
    switch (builtin) {
      case INT, UNSIGNED_INT, FLOAT -> writeInt(word());
      case HYPER, UNSIGNED_HYPER, DOUBLE -> {
        writeInt(word());
        writeInt(word());
      }
      case BOOL -> {
        mark(Defect.BAD_BOOL, 2);
        writeInt(random.nextInt(2));
      }
      // C's char is signed here (x86); Onyx also takes 128 to 255, an unsigned (ARM) char's.
      case CHAR -> narrow(Byte.MIN_VALUE, Byte.MAX_VALUE, 0x100);
      // int8_t is signed everywhere: C reads 128 as -128, and Onyx rejects it.
      case INT8 -> narrow(Byte.MIN_VALUE, Byte.MAX_VALUE, 0x80);
      case UNSIGNED_CHAR -> narrow(0, 0xFF, 0x100);
      case SHORT -> narrow(Short.MIN_VALUE, Short.MAX_VALUE, Short.MAX_VALUE + 1);
      case UNSIGNED_SHORT -> narrow(0, 0xFFFF, 0x10000);
    }
  }

  /**
   * A value of C's char or short: from min to max, the edges more often than by chance;
   * {@code beyond} is one that no C peer sends.
   */
  private void narrow(int min, int max, int beyond) {
    mark(Defect.OUT_OF_RANGE, beyond);
    writeInt(switch (random.nextInt(4)) {
      case 0 -> min;
      case 1 -> max;
      default -> min + random.nextInt(max - min + 1);
    });
  }

  /** Random 32 bits, with the edges (0, -1, the extremes) more often than by chance. */
  private int word() {
    return switch (random.nextInt(8)) {
      case 0 -> 0;
      case 1 -> -1;
      case 2 -> random.nextBoolean() ? Integer.MIN_VALUE : Integer.MAX_VALUE;
      default -> random.nextInt();
    };
  }

  /** A count for a bound: 0 when minimal, now and then the bound itself when it is small. */
  private int length(int bound, int usual) {
    if (minimal) {
      return 0;
    }
    if (bound <= 16 && random.nextInt(4) == 0) {
      return bound;
    }
    return random.nextInt(Math.min(bound, usual) + 1);
  }

  /** Marks the count about to be written as one that a bound other than unbounded rejects. */
  private void bound(int max) {
    if (max != Type.UNBOUNDED) {
      mark(Defect.OVER_BOUND, max + 1);
    }
  }

  private void mark(Defect defect, int value) {
    marks.add(new Mark(defect, out.size(), value));
  }

  private void writeInt(int value) {
    out.write(value >>> 24);
    out.write(value >>> 16);
    out.write(value >>> 8);
    out.write(value);
  }

  private void writeBytes(byte[] data) {
    out.writeBytes(data);
    int pad = (4 - data.length % 4) % 4;
    if (pad > 0) {
      marks.add(new Mark(Defect.NONZERO_PADDING, out.size() + random.nextInt(pad),
          1 + random.nextInt(255)));
    }
    for (int i = 0; i < pad; i++) {
      out.write(0);
    }
  }
}
