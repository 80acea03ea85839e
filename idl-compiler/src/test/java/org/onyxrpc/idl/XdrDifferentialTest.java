package org.onyxrpc.idl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.onyxrpc.idl.XdrSamples.Defect;
import org.onyxrpc.idl.schema.Schema;
import org.onyxrpc.idl.schema.SchemaFile;
import org.onyxrpc.idl.schema.Service;
import org.onyxrpc.idl.schema.Type;
import org.onyxrpc.idl.schema.TypeDecl;
import org.onyxrpc.idl.source.CompilerOptions;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrException;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * The Java codecs idlc generates against the C codecs rpcgen generates, byte for byte, for every
 * file of {@code corpus/} that both compile (and whose C builds with libtirpc alone: {@code
 * corpus/xdr-differential-skip.txt} lists the others, with their reasons). For each declared type,
 * each typedef of rpcgen's header and each procedure's arguments and result, random XDR bytes
 * valid for the type ({@link XdrSamples}) must decode and encode again to the same bytes in Java
 * and in C; the same bytes made invalid in one place must be rejected or accepted as {@link
 * #VERDICTS} says, where Onyx's reader is stricter than libtirpc's. C's values of the file's
 * constants must be Java's. Needs rpcgen, gcc and libtirpc-dev: without them only the
 * Java half runs on a developer's machine, and under CI=true the test fails.
 *
 * <p>Two files at a time ({@code junit-platform.properties}): each is gcc, javac and the harness,
 * mostly on one core.
 */
class XdrDifferentialTest {
  private static final int SAMPLES = 4;

  /**
   * For each way of breaking valid bytes, whether Java and C accept the result. Onyx rejects what
   * RFC 4506 does not allow; libtirpc reads a bool or optional-data flag as "not zero", an enum
   * as any int (C's enums are ints), a char or short as an int cut to its low bits, and skips
   * padding unread.
   */
  static final Map<Defect, String> VERDICTS = Map.of(
      Defect.TRUNCATED, "java=reject c=reject",
      Defect.BAD_DISCRIMINANT, "java=reject c=reject",
      Defect.OVER_BOUND, "java=reject c=reject",
      Defect.BAD_ENUM, "java=reject c=accept",
      Defect.BAD_BOOL, "java=reject c=accept",
      Defect.BAD_OPTIONAL_FLAG, "java=reject c=accept",
      Defect.NONZERO_PADDING, "java=reject c=accept",
      Defect.OUT_OF_RANGE, "java=reject c=accept");

  /**
   * libtirpc's own routines, which a file calls without writing them (its % lines declare the
   * type for C), whose rules are not XDR's: the C half of their subjects is not compared. The
   * BSDs' rpcb_prot.x leave netbuf to the library; RFC 1833's netbuf is a maxlen and any
   * opaque, as Onyx reads it, where libtirpc refuses a maxlen over RPC_MAXDATASIZE (9000) and
   * more bytes than maxlen.
   */
  static final Map<String, String> LIBRARY_RULES = Map.of(
      "xdr_netbuf", "maxlen at most 9000, and at most maxlen bytes");

  /** Kept when a file fails: the C harness, its table and the requests it was sent. */
  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path temp;

  /**
   * Types to try one after the other (one, or a procedure's arguments), their Java codec and the
   * C routine that codes them (null when C has none).
   */
  record Subject(String name, List<Type> types, XdrCodec<Object> java, String routine) {}

  /**
   * The files both compilers accept; {@code -Dxdr.differential.only=FILE[,FILE...]} picks some, to
   * look at them.
   */
  static List<CorpusTest.Entry> entries() throws IOException {
    String only = System.getProperty("xdr.differential.only", "");
    List<String> picked = List.of(only.split(","));
    return accepted().stream().filter(e -> only.isEmpty() || picked.contains(e.file())).toList();
  }

  private static List<CorpusTest.Entry> accepted() throws IOException {
    return CorpusTest.entries().stream()
        .filter(e -> e.outcome().equals("java") && e.rpcgen() == null)
        .toList();
  }

  /** corpus/xdr-differential-skip.txt: file to reason. */
  static Map<String, String> skipped() throws IOException {
    Map<String, String> skipped = new TreeMap<>();
    Path list = CorpusTest.corpus().resolve("xdr-differential-skip.txt");
    for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
      String text = line.replaceAll("#.*", "").strip();
      if (!text.isEmpty()) {
        String[] fileAndReason = text.split("\\s+", 2);
        skipped.put(fileAndReason[0], fileAndReason.length > 1 ? fileAndReason[1] : "");
      }
    }
    return skipped;
  }

  @Execution(ExecutionMode.CONCURRENT)
  @ParameterizedTest(name = "{0}")
  @MethodSource("entries")
  void javaAndRpcgensCodecsAgree(CorpusTest.Entry entry) throws Exception {
    check(CorpusTest.corpus(), entry.file(), entry.options(), !skipped().containsKey(entry.file()),
        false);
  }

  /**
   * {@code xdr-differential/every-type.x}: what the corpus has little of, each sample broken in
   * every place it can be (a linked list's flags, an enum in an array, ...), not in one place of
   * each kind.
   */
  @Test
  void everyTypeAgrees() throws Exception {
    check(Golden.resources().resolve("xdr-differential"), "every-type.x",
        new CompilerOptions(List.of(), Map.of(), List.of(), List.of()), true, true);
  }

  /**
   * Compares the file's Java codecs with its C ones ({@code withC}) or checks the Java alone;
   * {@code everyMark}: each sample broken in every place, else in one place of each defect.
   */
  void check(Path base, String name, CompilerOptions options, boolean withC, boolean everyMark)
      throws Exception {
    Path file = base.resolve(name);
    IdlCompiler.Result result = IdlCompiler.compile(base, options, List.of(file));
    assertTrue(result.succeeded(), result.diagnostics().format());
    Map<String, String> fileSources = new TreeMap<>();
    result.sources().forEach(s -> fileSources.put(s.path(), s.content()));
    SchemaFile own = ownFile(result, name);
    RpcgenCodecs c = null;
    List<String> typedefs = List.of();
    if (withC && requireToolchain()) {
      // gcc builds the harness while the Java is compiled below.
      RpcgenCodecs.Build build = RpcgenCodecs.build(file, constants(own).keySet().stream().toList(),
          own.types().stream().map(TypeDecl::name).toList(), temp.resolve("c"));
      assertTrue(build.codecs() != null, doesNotBuild(name, build.failure()));
      c = build.codecs();
      typedefs = typedefs(own, c);
      if (!typedefs.isEmpty()) {
        // The schema has no typedefs (their uses hold the types they name): a file that includes
        // this one's header holds each in a struct of one field, whose codec is the typedef's.
        Path wrapper = Files.createDirectories(temp.resolve("typedefs")).resolve("typedefs.x");
        StringBuilder text = new StringBuilder("%#include \"" + RpcgenRuns.baseName(file) + ".h\"\n");
        typedefs.forEach(t -> text.append("struct ").append(WRAPPER).append(t).append(" { ")
            .append(t).append(" value; };\n"));
        Files.writeString(wrapper, text, StandardCharsets.UTF_8);
        List<Path> includes = new ArrayList<>(options.includeDirs());
        includes.add(file.getParent());
        result = IdlCompiler.compile(base, new CompilerOptions(includes, options.defines(),
            options.undefines(), options.preludes()), List.of(wrapper));
        assertTrue(result.succeeded(), name + " with its typedefs held in structs:\n"
            + result.diagnostics().format());
        own = ownFile(result, name);
      }
    }
    Schema schema = result.schema().orElseThrow();
    Map<String, String> sources = new TreeMap<>();
    result.sources().forEach(s -> sources.put(s.path(), s.content()));
    // With typedefs held in structs, the file's own Java is most of what was generated, and
    // CorpusTest compiled it already (JavaSources keeps its classes): that is compiled again only
    // as JavaSources' copy of it, and the rest (the holders) against it.
    Path[] classes;
    if (!fileSources.equals(sources) && sources.entrySet().containsAll(fileSources.entrySet())) {
      Path fileClasses = JavaSources.compile(fileSources, temp.resolve("java-file"));
      Map<String, String> rest = new TreeMap<>(sources);
      rest.keySet().removeAll(fileSources.keySet());
      classes = new Path[] {JavaSources.compile(rest, temp.resolve("java"), fileClasses,
          JavaSources.digest(fileSources)), fileClasses};
    } else {
      classes = new Path[] {JavaSources.compile(sources, temp.resolve("java"))};
    }
    if (c != null) {
      String failure = c.awaitHarness();
      assertTrue(failure == null, doesNotBuild(name, failure));
    }
    try (URLClassLoader loader = JavaSources.loader(classes)) {
      GeneratedCodecs java = new GeneratedCodecs(schema, result.sources(), loader);
      List<Subject> subjects = subjects(schema, java, c);
      for (String typedef : typedefs) {
        TypeDecl.StructType holder = (TypeDecl.StructType) schema.type(WRAPPER + typedef);
        subjects.add(new Subject(typedef + " (typedef)", List.of(holder.fields().get(0).type()),
            java.type(holder.name()), "xdr_" + typedef));
      }
      List<String> mismatches = compare(name, schema, subjects, c, everyMark);
      if (c != null) {
        mismatches.addAll(constantsAndStubs(own, c));
      }
      assertEquals("", String.join("\n", mismatches), name + ": " + mismatches.size()
          + " mismatches");
    }
  }

  private static String doesNotBuild(String name, String failure) {
    return name + ": rpcgen's C does not build; fix it or list it in"
        + " corpus/xdr-differential-skip.txt with the reason\n" + failure;
  }

  @Test
  void everySkippedFileIsInTheCorpusAndCompiles() throws IOException {
    List<String> files = accepted().stream().map(CorpusTest.Entry::file).toList();
    for (Map.Entry<String, String> skip : skipped().entrySet()) {
      assertTrue(files.contains(skip.getKey()), skip.getKey() + " is not a file both compilers accept");
      assertFalse(skip.getValue().isBlank(), skip.getKey() + " is skipped without a reason");
    }
  }

  /** The prefix of the structs that hold a typedef each. */
  private static final String WRAPPER = "xdr_differential_";

  private static SchemaFile ownFile(IdlCompiler.Result result, String name) {
    return result.schema().orElseThrow().files().stream().filter(f -> f.file().equals(name))
        .findFirst().orElseThrow();
  }

  /** The typedefs of the file's C header: its types with a routine but its structs, unions, enums. */
  private static List<String> typedefs(SchemaFile own, RpcgenCodecs c) {
    List<String> declared = own.types().stream().map(TypeDecl::name).toList();
    return c.declared().stream()
        .filter(t -> !declared.contains(t) && !t.endsWith("_argument"))
        .toList();
  }

  /**
   * Constants whose values C and Java do not share, and types and procedures of the file that C
   * does not code, which would leave them to Java alone.
   */
  private List<String> constantsAndStubs(SchemaFile own, RpcgenCodecs c)
      throws IOException, InterruptedException {
    List<String> mismatches = new ArrayList<>();
    Map<String, Long> inC = c.values(temp.resolve("c"));
    Set<String> enumConstants = own.types().stream().filter(t -> t instanceof TypeDecl.EnumType)
        .flatMap(t -> ((TypeDecl.EnumType) t).constants().stream()).map(k -> k.name())
        .collect(Collectors.toSet());
    // rpcgen #defines each procedure's name as its number after the types, so a constant of
    // that name is the procedure's number in C from there on (dart-oncrpc's rpc_test.x: enum
    // constant ADD = 0, procedure ADD = 1); Java keeps the two apart (Operation.ADD and the
    // version's procedure), so C's value is the procedure's, the last version's if several.
    Map<String, Long> procedures = new HashMap<>();
    own.services().forEach(s -> s.versions().forEach(v -> v.procedures().forEach(
        p -> procedures.put(p.name(), Integer.toUnsignedLong(p.number())))));
    constants(own).forEach((name, value) -> {
      // An enum value beyond a signed int is unsigned in C's enum, and its 32 bits on the wire
      // are those of Java's negative int (every-type.x: MASK_ALL = 0xffffffff).
      Long c32 = enumConstants.contains(name) && inC.get(name) != null
          ? (long) inC.get(name).intValue() : inC.get(name);
      if (!procedures.getOrDefault(name, value).equals(c32)) {
        mismatches.add("constant " + name + ": Java " + value + ", C " + inC.get(name));
      }
    });
    // The file's own types and procedures: those of its preludes and imports are not in its C.
    own.types().stream().filter(t -> !c.routines().contains("xdr_" + t.name()))
        .forEach(t -> mismatches.add(t.name() + ": C has no xdr_" + t.name()));
    for (Service service : own.services()) {
      for (Service.Version version : service.versions()) {
        version.procedures().stream().filter(p -> c.stub(version.number(), p.name()) == null)
            .forEach(p -> mismatches.add(p.name() + " v" + Integer.toUnsignedString(version.number())
                + ": no C stub calls it"));
      }
    }
    return mismatches;
  }

  /**
   * The values of a file's integer constants and enum constants, as 64 bits (C's long long): the
   * enum values and bounds a wrong evaluation would change on the wire.
   */
  private static Map<String, Long> constants(SchemaFile file) {
    Map<String, Long> constants = new TreeMap<>();
    file.constants().stream().filter(k -> !k.isText())
        .forEach(k -> constants.put(k.name(), k.value().longValue()));
    file.types().stream().filter(t -> t instanceof TypeDecl.EnumType)
        .flatMap(t -> ((TypeDecl.EnumType) t).constants().stream())
        .forEach(k -> constants.put(k.name(), (long) k.value()));
    return constants;
  }

  /** Every declared type, and every procedure's arguments and result. */
  private static List<Subject> subjects(Schema schema, GeneratedCodecs java, RpcgenCodecs c)
      throws ReflectiveOperationException {
    List<Subject> subjects = new ArrayList<>();
    for (SchemaFile file : schema.files()) {
      for (TypeDecl decl : file.types()) {
        String routine = "xdr_" + decl.name();
        subjects.add(new Subject(decl.name(), List.of(new Type.Defined(decl.name())),
            java.type(decl.name()),
            c != null && c.routines().contains(routine) ? routine : null));
      }
      for (Service service : file.services()) {
        for (Service.Version version : service.versions()) {
          for (Service.Procedure procedure : version.procedures()) {
            Procedure<?, ?> descriptor = java.procedure(service, version, procedure.number());
            RpcgenCodecs.Stub stub = c == null ? null : c.stub(version.number(), procedure.name());
            String name = procedure.name() + " v" + Integer.toUnsignedString(version.number());
            if (!procedure.parameters().isEmpty()) {
              // Several (rpcgen -N): C's NAME_argument struct and Java's record of the arguments
              // both send one after the other.
              subjects.add(new Subject(name + " argument",
                  procedure.parameters().stream().map(org.onyxrpc.idl.schema.Field::type).toList(),
                  erase(descriptor.arguments()), stub == null ? null : stub.argument()));
            }
            if (procedure.result() != null) {
              subjects.add(new Subject(name + " result", List.of(procedure.result()),
                  erase(descriptor.result()), stub == null ? null : stub.result()));
            }
          }
        }
      }
    }
    return subjects;
  }

  @SuppressWarnings("unchecked")
  private static XdrCodec<Object> erase(XdrCodec<?> codec) {
    return (XdrCodec<Object>) codec;
  }

  /** Every disagreement, one a line. */
  private List<String> compare(String file, Schema schema, List<Subject> subjects, RpcgenCodecs c,
      boolean everyMark) throws IOException, InterruptedException {
    List<String> mismatches = new ArrayList<>();
    List<Map.Entry<String, byte[]>> requests = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    List<String> described = new ArrayList<>();
    HexFormat hex = HexFormat.of();
    for (Subject listed : subjects) {
      Subject subject = c != null && listed.routine() != null
          && LIBRARY_RULES.containsKey(listed.routine())
          && !c.generated(listed.routine())
          ? new Subject(listed.name(), listed.types(), listed.java(), null) : listed;
      for (int i = 0; i < SAMPLES; i++) {
        long seed = (file + " " + subject.name()).hashCode() * 31L + i;
        XdrSamples.Sample sample;
        try {
          sample = XdrSamples.of(schema, subject.types(), seed, i == 0);
        } catch (XdrSamples.TooDeep e) {
          continue;
        }
        String what = subject.name() + " sample " + i + " (seed " + seed + ") ";
        String java = java(subject.java(), sample.bytes());
        if (!java.equals("ok " + sample.bytes().length + " " + hexOrDash(hex, sample.bytes()))) {
          mismatches.add(what + hex.formatHex(sample.bytes()) + ": Java " + java);
        }
        if (subject.routine() != null) {
          requests.add(Map.entry(subject.routine(), sample.bytes()));
          expected.add("ok " + sample.bytes().length + " " + hexOrDash(hex, sample.bytes()));
          described.add(what + hex.formatHex(sample.bytes()));
        }
        for (XdrSamples.Mark mark : everyMark ? sample.marks()
            : oneOfEachDefect(sample, new Random(seed))) {
          byte[] broken = sample.broken(mark);
          String verdict = VERDICTS.get(mark.defect());
          String javaVerdict = java(subject.java(), broken);
          String javaExpected = verdict.substring(0, verdict.indexOf(' '));
          if (!javaVerdict.equals("reject") && !javaVerdict.startsWith("ok")
              || (javaVerdict.equals("reject") != javaExpected.equals("java=reject"))) {
            mismatches.add(what + mark + " " + hex.formatHex(broken) + ": Java " + javaVerdict
                + ", expected " + javaExpected);
          }
          if (subject.routine() != null) {
            requests.add(Map.entry(subject.routine(), broken));
            expected.add(verdict.substring(verdict.indexOf(' ') + 1));
            described.add(what + mark + " " + hex.formatHex(broken));
          }
        }
      }
    }
    if (c != null && !requests.isEmpty()) {
      List<String> replies = c.run(requests, temp.resolve("c"));
      for (int i = 0; i < replies.size(); i++) {
        String reply = replies.get(i);
        String want = expected.get(i);
        boolean agrees = want.startsWith("ok") ? reply.equals(want)
            : want.equals("c=reject") == reply.equals("reject") && !reply.equals("encodefail");
        if (!agrees) {
          mismatches.add(described.get(i) + ": C (" + requests.get(i).getKey() + ") " + reply
              + ", expected " + want);
        }
      }
    }
    return mismatches;
  }

  /** Of each defect a sample can have, one place, chosen by {@code random}. */
  private static List<XdrSamples.Mark> oneOfEachDefect(XdrSamples.Sample sample, Random random) {
    Map<Defect, List<XdrSamples.Mark>> byDefect = new LinkedHashMap<>();
    sample.marks().forEach(m -> byDefect.computeIfAbsent(m.defect(), d -> new ArrayList<>()).add(m));
    List<XdrSamples.Mark> chosen = new ArrayList<>();
    byDefect.values().forEach(marks -> chosen.add(marks.get(random.nextInt(marks.size()))));
    return chosen;
  }

  /** "ok CONSUMED HEX" of decoding and encoding again in Java, "reject", or the unexpected failure. */
  private static String java(XdrCodec<Object> codec, byte[] bytes) {
    ByteBuf in = Unpooled.wrappedBuffer(bytes);
    Object value;
    try {
      value = codec.decode(new XdrReader(in));
    } catch (XdrException e) {
      // A refusal says what was wrong (the bound, the discriminant, ...), never nothing.
      String message = e.getMessage();
      return message == null || message.isBlank() ? "reject without a message" : "reject";
    } catch (RuntimeException e) {
      return "threw " + e;
    }
    int consumed = bytes.length - in.readableBytes();
    ByteBuf out = Unpooled.buffer();
    try {
      codec.encode(new XdrWriter(out), value);
      byte[] written = ByteBufUtil.getBytes(out);
      return "ok " + consumed + " " + hexOrDash(HexFormat.of(), written);
    } catch (RuntimeException e) {
      return "encoding threw " + e;
    } finally {
      out.release();
    }
  }

  private static String hexOrDash(HexFormat hex, byte[] bytes) {
    return bytes.length == 0 ? "-" : hex.formatHex(bytes);
  }

  /** True when rpcgen, gcc and libtirpc's headers are there; fails under CI when they are not. */
  private static boolean requireToolchain() {
    boolean present = NativeToolchain.present();
    if (!present) {
      NativeToolchain.failUnderCi("rpcgen, gcc and libtirpc-dev");
      System.err.println("XdrDifferentialTest: rpcgen, gcc or libtirpc-dev missing; only the Java"
          + " codecs are checked");
    }
    return present;
  }
}
