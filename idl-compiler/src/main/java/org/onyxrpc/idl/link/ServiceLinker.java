package org.onyxrpc.idl.link;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.onyxrpc.idl.source.Diagnostics;
import org.onyxrpc.idl.source.Location;
import org.onyxrpc.idl.parser.DeclElement;
import org.onyxrpc.idl.parser.Elements;
import org.onyxrpc.idl.parser.ExprElement;
import org.onyxrpc.idl.parser.Spelling;
import org.onyxrpc.idl.parser.TypeElement;
import org.onyxrpc.idl.schema.Annotation;
import org.onyxrpc.idl.schema.Field;
import org.onyxrpc.idl.schema.Service;
import org.onyxrpc.idl.schema.Type;
import org.onyxrpc.idl.source.SourceFiles;

/** Links services and RPCL programs: wire numbers, parameters, results and exceptions. */
final class ServiceLinker {
  private static final Set<String> SERVICE_ANNOTATIONS = Set.of("program");
  private static final Set<String> PROCEDURE_ANNOTATIONS = Set.of("idempotent");

  private final Scope scope;
  private final ConstantEvaluator constants;
  private final TypeResolver types;
  private final DataTypeLinker data;
  private final Diagnostics diagnostics;
  /** Services whose program number was an error, linked with 0 in its place. */
  private final Set<Service> unnumbered = Collections.newSetFromMap(new IdentityHashMap<>());

  ServiceLinker(Scope scope, ConstantEvaluator constants, TypeResolver types, DataTypeLinker data,
      Diagnostics diagnostics) {
    this.scope = scope;
    this.constants = constants;
    this.types = types;
    this.data = data;
    this.diagnostics = diagnostics;
  }

  Service link(DeclElement.ServiceDecl decl, String file) {
    String context = DataTypeLinker.context(decl);
    checkAnnotations(decl.annotations(), SERVICE_ANNOTATIONS);
    Long program = program(decl, file);
    if (decl.rpcl() && program != null) {
      checkRpcgenDefine("program", decl.name(), program, decl.location(), file);
    }
    List<Service.Version> versions = new ArrayList<>();
    Map<Long, Location> numbers = new HashMap<>();
    if (decl.versions().isEmpty()) {
      // rpcgen rejects it ("expected 'version'"); Onyx has nothing to generate for it.
      diagnostics.warning(decl.location(), decl.kind() + " '" + decl.name()
          + "' has no versions, so no Java is generated for it (rpcgen rejects it)");
    }
    for (Elements.Version version : decl.versions()) {
      checkAnnotations(version.annotations(), Set.of());
      if (numberLeftOut(decl, version, file)) {
        diagnostics.error(version.number().location(), "version '"
            + ((ExprElement.Reference) version.number()).name() + "' of program '" + decl.name()
            + "' has no number: write it after the version's block, '} = N;'", context);
        continue;
      }
      Long number = unsigned(version.number(), file, "version number", context);
      if (number == null) {
        continue;
      }
      if (decl.rpcl()) {
        checkRpcgenDefine("version", version.name(), number, version.location(), file);
      }
      if (version.procedures().isEmpty()) {
        // rpcgen rejects it ("expected type specifier"); a server of it answers pings only.
        diagnostics.warning(version.location(), "version " + number + " of " + decl.kind() + " '"
            + decl.name() + "' has no procedures: its servers answer only the NULL ping"
            + " (rpcgen rejects such a version)");
      }
      Location previous = numbers.putIfAbsent(number, version.location());
      if (previous != null) {
        diagnostics.error(version.location(), "duplicate version number " + number + " in "
            + decl.kind() + " " + decl.name() + " (also at " + previous + ")");
      }
      versions.add(new Service.Version(version.name(), number.intValue(), version.doc(),
          data.annotations(version.annotations(), file), procedures(version, number, file, decl)));
    }
    Service service = new Service(decl.name(), decl.doc(),
        data.annotations(decl.annotations(), file), program == null ? 0 : program.intValue(),
        versions, decl.location());
    if (program == null) {
      unnumbered.add(service);
    }
    return service;
  }

  /**
   * Whether {@code service}, which {@link #link} returned, has its program number: one that was
   * an error (a name only C knows, as ACeDB's {@code = rpc_port}) shares no number with others.
   */
  boolean numbered(Service service) {
    return !unnumbered.contains(service);
  }

  private Long program(DeclElement.ServiceDecl decl, String file) {
    String context = DataTypeLinker.context(decl);
    Long fromNumber = decl.number() == null ? null
        : unsigned(decl.number(), file, "program number", context);
    for (Elements.Annotation annotation : decl.annotations()) {
      if (!annotation.name().equals("program")) {
        continue;
      }
      if (annotation.value() == null) {
        diagnostics.error(annotation.location(), "@program needs a number: @program(0x20000001)");
        continue;
      }
      Long value = unsigned(annotation.value(), file, "program number", context);
      if (value != null && fromNumber != null && !value.equals(fromNumber)) {
        diagnostics.error(annotation.location(), "@program(" + hex(value)
            + ") disagrees with '= " + hex(fromNumber) + "'");
      }
      if (value != null && fromNumber == null) {
        fromNumber = value;
      }
    }
    if (fromNumber == null && decl.number() == null
        && decl.annotations().stream().noneMatch(a -> a.name().equals("program"))) {
      // FNV-1a of the name, folded into the user-defined range 0x20000000-0x3fffffff (RFC 5531 §7.3).
      int hash = 0x811c9dc5;
      for (char c : decl.name().toCharArray()) {
        hash = (hash ^ c) * 0x01000193;
      }
      fromNumber = 0x2000_0000L | (hash & 0x1fff_ffffL);
      diagnostics.warning(decl.location(), decl.kind() + " '" + decl.name()
          + "' has no program number; derived " + hex(fromNumber)
          + " from its name (declare @program(N) to choose one)");
    }
    return fromNumber;
  }

  private List<Service.Procedure> procedures(Elements.Version version, long versionNumber,
      String file, DeclElement.ServiceDecl decl) {
    List<Service.Procedure> procedures = new ArrayList<>();
    Map<Long, String> numbers = new HashMap<>();
    Map<String, Location> names = new HashMap<>();
    int position = 0;
    for (Elements.Procedure procedure : version.procedures()) {
      position++;
      String context = "in procedure " + procedure.name() + " (" + procedure.location() + ")";
      checkAnnotations(procedure.annotations(), PROCEDURE_ANNOTATIONS);
      Location previousName = names.putIfAbsent(procedure.name(), procedure.location());
      if (previousName != null) {
        diagnostics.error(procedure.location(), "duplicate procedure '" + procedure.name()
            + "' in version " + versionNumber + " (first at " + previousName + ")");
      }
      Long number;
      if (procedure.number() == null) {
        number = (long) position;
        diagnostics.warning(procedure.location(), "procedure '" + procedure.name()
            + "' has no number; it gets " + position + " from its position, which changes if"
            + " procedures are reordered (write '= " + position + "')");
      } else {
        number = unsigned(procedure.number(), file, "procedure number", context);
      }
      if (number == null) {
        continue;
      }
      if (decl.rpcl()) {
        checkRpcgenDefine("procedure", procedure.name(), number, procedure.location(), file);
      }
      String previous = numbers.putIfAbsent(number, procedure.name());
      if (previous != null) {
        diagnostics.error(procedure.number() == null ? procedure.location()
            : procedure.number().location(), "duplicate procedure number " + number
            + " in version " + versionNumber + " of " + decl.name() + " (also '" + previous + "')");
      }
      Service.Procedure linked = procedure(procedure, number.intValue(), file, context);
      if (linked != null) {
        procedures.add(linked);
      }
    }
    return procedures;
  }

  private Service.Procedure procedure(Elements.Procedure procedure, int number, String file,
      String context) {
    Type result = procedure.result() == null ? null
        : types.resolve(procedure.result(), file, procedure.name() + "_result", context);
    List<Field> parameters = parameters(procedure, file, context);
    List<String> throwsList = thrown(procedure, file, context);
    checkOneway(procedure, number);
    String returnDoc = procedure.returnDoc();
    if (returnDoc != null && procedure.result() == null) {
      diagnostics.warning(procedure.location(), "'@return' in the doc of '" + procedure.name()
          + "', which returns void, is left out of the Java");
      returnDoc = null;
    }
    Map<String, String> throwsDocs = new LinkedHashMap<>();
    procedure.throwsDocs().forEach((name, doc) -> {
      if (throwsList.contains(name)) {
        throwsDocs.put(name, doc);
      } else {
        diagnostics.warning(procedure.location(), "'@throws " + name + "' in the doc of '"
            + procedure.name() + "', which does not throw it, is left out of the Java");
      }
    });
    return new Service.Procedure(procedure.name(), number, procedure.doc(), returnDoc,
        Collections.unmodifiableMap(throwsDocs), data.annotations(procedure.annotations(), file), procedure.oneway(), result,
        List.copyOf(parameters), List.copyOf(throwsList),
        TypeResolver.written(procedure.result(), result));
  }

  /** The procedure's parameters whose types resolve, unnamed ones called arg1, arg2, ... */
  private List<Field> parameters(Elements.Procedure procedure, String file, String context) {
    List<Field> parameters = new ArrayList<>();
    Map<String, Location> names = new HashMap<>();
    for (int i = 0; i < procedure.parameters().size(); i++) {
      Elements.Field parameter = procedure.parameters().get(i);
      String name = parameter.name() == null ? "arg" + (i + 1) : parameter.name();
      Location previous = names.putIfAbsent(name, parameter.location());
      if (previous != null) {
        diagnostics.error(parameter.location(), "duplicate parameter '" + name + "'", context);
      }
      Type type = types.resolve(parameter.type(), file, procedure.name() + "_" + name, context);
      if (type != null) {
        parameters.add(new Field(name, type, parameter.doc(), List.of(), parameter.location(),
            TypeResolver.written(parameter.type(), type)));
        checkWrapstringBound(procedure, parameter, name, type);
      }
    }
    return parameters;
  }

  /**
   * rpcgen reads a procedure's lone argument written {@code string<N>} and drops its bound: its C
   * passes the argument through {@code xdr_wrapstring}, which libtirpc bounds to 9000 bytes
   * (RPC_MAXDATASIZE) whatever N is. Onyx holds it to N, so a C server takes what an Onyx server
   * refuses (or the other way past 9000); through a typedef, both hold it to N.
   */
  private void checkWrapstringBound(Elements.Procedure procedure, Elements.Field parameter,
      String name, Type type) {
    if (parameter.type() instanceof TypeElement.StringType written && written.max() != null
        && type instanceof Type.StringType string && string.max() != Type.UNBOUNDED
        && procedure.parameters().size() == 1
        && SourceFiles.isRpcgen(parameter.location().file())) {
      diagnostics.warning(parameter.location(), "parameter '" + name + "' of '"
          + procedure.name() + "' is string<" + string.max() + ">, but rpcgen's C drops a bound"
          + " written here: it codes a procedure's own string with xdr_wrapstring, which takes"
          + " up to 9000 bytes (libtirpc) where Onyx takes " + string.max() + " at most; name"
          + " the type with a typedef (typedef string NAME<" + string.max() + ">;) for both"
          + " to hold it to " + string.max());
    }
  }

  /** The exceptions the procedure throws, each once; a name that is no exception is an error. */
  private List<String> thrown(Elements.Procedure procedure, String file, String context) {
    List<String> throwsList = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Elements.NameRef thrown : procedure.throwsList()) {
      DeclElement decl = scope.type(thrown.name(), file, thrown.location(), context);
      if (decl == null) {
        continue;
      }
      if (!(decl instanceof DeclElement.StructDecl struct && struct.exception())) {
        diagnostics.error(thrown.location(), "'" + thrown.name() + "' is not an exception", context);
      } else if (!seen.add(thrown.name())) {
        diagnostics.error(thrown.location(), "duplicate exception '" + thrown.name() + "'", context);
      } else {
        throwsList.add(thrown.name());
      }
    }
    return throwsList;
  }

  /**
   * What a oneway procedure, or procedure 0 (the NULL procedure), may not be: a oneway one
   * returns nothing, throws nothing and is not {@code @idempotent}; procedure 0 is not oneway.
   */
  private void checkOneway(Elements.Procedure procedure, int number) {
    if (procedure.oneway() && procedure.result() != null) {
      diagnostics.error(procedure.location(), "oneway procedure '" + procedure.name()
          + "' must return void");
    }
    if (procedure.oneway() && !procedure.throwsList().isEmpty()) {
      diagnostics.error(procedure.location(), "oneway procedure '" + procedure.name()
          + "' cannot throw: no reply is sent");
    }
    for (Elements.Annotation annotation : procedure.annotations()) {
      if (procedure.oneway() && annotation.name().equals("idempotent")) {
        // oneway wins (MAYBE): the call is never retransmitted, which '@idempotent' seems to ask.
        diagnostics.warning(annotation.location(), "'@idempotent' has no effect on oneway procedure '"
            + procedure.name() + "': it is sent once, with no reply to wait for, and never retransmitted");
      }
    }
    // RFC 5531 §12.1: procedure 0 takes and returns nothing "by convention"; rpcgen lets a
    // program declare it otherwise (OpenSolaris' metacl.x returns a result), and its C servers
    // then run it. Onyx's do the same; what a ping, which sends nothing and waits, needs stays.
    if (number == 0 && procedure.oneway()) {
      diagnostics.error(procedure.location(), "procedure 0 cannot be oneway: it is the NULL"
          + " procedure (RFC 5531 §12), with which clients ping a server and wait for its reply");
    } else if (number == 0 && !procedure.parameters().isEmpty()) {
      diagnostics.warning(procedure.location(), "procedure 0 takes arguments, but it is the NULL"
          + " procedure (RFC 5531 §12), which by convention takes none: a NULL ping, which sends"
          + " none, gets GARBAGE_ARGS from it");
    }
  }

  /**
   * rpcgen's header {@code #define}s each program, version and procedure name to its number
   * after all the types. Where a constant or enum constant has the same name, the header's own
   * declarations (enum values, struct layouts) take the constant's value, but its XDR routines,
   * compiled after the header, take the RPCL number wherever the name is written: a union case,
   * an array, opaque or string bound, a constant defined as the name; so does hand-written C
   * that includes the header ({@code req.op = ADD;}). Onyx takes the constant's
   * value everywhere, so a silent wire difference where the two numbers differ; the same number
   * changes nothing. A warning rather than rpcgen's behaviour: which value a use gets would
   * depend on which C file compiles it, and one name would mean two things in the Java.
   */
  private void checkRpcgenDefine(String kind, String name, long number, Location at,
      String file) {
    Scope.Value value = scope.visibleValue(name, file);
    if (value == null || value.constant() != null && value.constant().text() != null) {
      return;
    }
    Long valueNumber = constants.evaluate(new ExprElement.Reference(value.location(), name), file);
    if (valueNumber == null || valueNumber == number) {
      return;
    }
    diagnostics.warning(at, kind + " '" + name + "' = " + number + " has the name of "
        + (value.constant() != null ? "constant" : "enum constant") + " '" + name + "' = "
        + valueNumber + " (" + value.location() + "): rpcgen's C #defines " + name + " to "
        + number + " after the types, so C compiled after that header (its XDR routines, the"
        + " program's own C) uses " + number + " where a union case, a bound, a constant or"
        + " C code says " + name + ", while Onyx uses " + valueNumber
        + "; rename the " + kind);
  }

  private void checkAnnotations(List<Elements.Annotation> annotations, Set<String> known) {
    for (Elements.Annotation annotation : annotations) {
      if (!known.contains(annotation.name())) {
        // A misspelled @idempotent silently makes a procedure at-most-once: name the likely fix.
        String semantics = known == PROCEDURE_ANNOTATIONS ? semanticsHint(annotation.name()) : null;
        diagnostics.warning(annotation.location(), "unknown annotation '@" + annotation.name()
            + "' is kept but has no effect here" + (semantics != null ? semantics
            : Spelling.hint("@" + annotation.name(), known.stream().map(name -> "@" + name).toList())));
      }
    }
  }

  /**
   * A call's promise written as an annotation, in the words {@code onyx describe} prints
   * ({@code [at_most_once]}) or {@code CallSemantics}' names: the IDL says it otherwise, and
   * {@code @oneway} or {@code @maybe} left the procedure one that waits for a reply. Null for any
   * other name.
   */
  private static String semanticsHint(String name) {
    return switch (name.toLowerCase(java.util.Locale.ROOT).replace("_", "").replace("-", "")) {
      case "atmostonce" -> "; a procedure is at-most-once unless marked otherwise: leave the"
          + " annotation out ('@idempotent' makes one at-least-once, 'oneway' one with no reply)";
      case "atleastonce", "retryable", "safe" -> "; an at-least-once procedure (retried, and run"
          + " again on a repeat) is marked '@idempotent'";
      case "oneway", "maybe", "noreply" -> "; a procedure sent once with no reply is declared"
          + " with the keyword 'oneway' before its result type, 'oneway void log(string line<>) = 3;'";
      default -> null;
    };
  }

  /**
   * Whether an RPCL version reads as {@code version NAME { ... };}, its {@code = N} left out, so
   * that the parser took the name, declared nowhere, for Onyx's {@code version N { ... }}: else
   * "unknown constant" would be the error, true but beside the point.
   */
  private boolean numberLeftOut(DeclElement.ServiceDecl decl, Elements.Version version, String file) {
    return decl.rpcl() && version.name() == null
        && version.number() instanceof ExprElement.Reference reference
        && !scope.declares(reference.name()) && scope.rpclNumber(reference.name(), file) == null
        && CTypeNames.constant(reference.name()) == null;
  }

  private Long unsigned(org.onyxrpc.idl.parser.ExprElement expr, String file, String what,
      String context) {
    Long value = constants.evaluate(expr, file, context);
    if (value != null && (value < 0 || value > 0xFFFF_FFFFL)) {
      diagnostics.error(expr.location(), what + " " + value + " does not fit in 32 unsigned bits",
          context);
      return null;
    }
    return value;
  }

  static String hex(long value) {
    return "0x" + Long.toHexString(value);
  }
}
