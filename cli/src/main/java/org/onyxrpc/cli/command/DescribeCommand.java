package org.onyxrpc.cli.command;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.onyxrpc.cli.json.DynamicProcedure;
import org.onyxrpc.cli.json.JsonTemplate;
import org.onyxrpc.cli.json.TypeNames;
import org.onyxrpc.cli.schema.IdlSchemas;
import org.onyxrpc.cli.schema.Services;
import org.onyxrpc.idl.schema.Schema;
import org.onyxrpc.idl.schema.Service;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code onyx describe --idl FILE… [SERVICE]}: procedures, their numbers and argument templates. */
@Command(name = "describe", mixinStandardHelpOptions = true,
    description = "Shows the services of IDL files: program and version numbers, each procedure's "
        + "number, signature and failure semantics, and a JSON argument template to pass to onyx"
        + " call -d. The services of imported files and preludes are only named, at the end: "
        + "give one's name as SERVICE to describe it.",
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:described", "1:the IDL has errors",
      "2:bad command line, an --idl or --prelude file that cannot be read, or an unknown service"})
public final class DescribeCommand implements Callable<Integer> {
  /** Picocli makes one per run, sets its options from the command line, then calls it. */
  public DescribeCommand() {}

  @Parameters(index = "0", arity = "0..1", paramLabel = "SERVICE",
      description = "Only this service: one of the --idl files', or of their imports or preludes.")
  String service;

  @Mixin IdlOptions idl;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    IdlSchemas.Read read = idl.read();
    Schema schema = read.schema();
    // What idlc and the plugin warn of, as they say it: a program number derived from the name,
    // or a procedure's from its position, is shown below as if the file had declared it.
    PrintWriter err = spec.commandLine().getErr();
    read.warnings().forEach(err::println);
    err.flush();
    // A prelude or an import is context for the files asked about, as a C header is: its
    // services are named, not described, unless asked for by name.
    List<Service> services = service == null
        ? Services.declaredIn(schema, read.named()) : List.of(Services.service(schema, service));
    List<String> others = service == null
        ? Services.all(schema).stream().filter(s -> !services.contains(s)).map(Service::name).toList() : List.of();
    PrintWriter out = spec.commandLine().getOut();
    JsonTemplate templates = new JsonTemplate(schema);
    for (Service s : services) {
      out.printf("service %s (%s), program 0x%08x (%s)%n", s.name(), Services.qualified(schema, s),
          s.program(), Integer.toUnsignedString(s.program()));
      for (Service.Version v : s.versions()) {
        out.printf("  version %s%n", Integer.toUnsignedString(v.number()));
        for (Service.Procedure p : v.procedures()) {
          DynamicProcedure d = new DynamicProcedure(schema, s, v, p);
          // Types in the IDL's words (typedef names: 'tag<MAX_TAGS>', not 'string<32><MAX_TAGS>').
          String params = p.parameters().stream()
              .map(f -> declaration(f.written(), f.name())).collect(Collectors.joining(", "));
          String result = written(p.resultWritten());
          String throwsClause = p.throwsList().isEmpty() ? "" : " throws " + String.join(", ", p.throwsList());
          out.printf("    %s %s%s(%s) -> %s%s  [%s]%n", Integer.toUnsignedString(p.number()),
              p.oneway() ? "oneway " : "", p.name(), params, result, throwsClause,
              d.defaultSemantics().name().toLowerCase(java.util.Locale.ROOT));
          if (!p.parameters().isEmpty()) {
            out.printf("      -d '%s'%n", templates.arguments(p.parameters()));
          }
        }
      }
    }
    if (services.isEmpty() && others.isEmpty()) {
      // XDR-only files (Ganglia's gm_protocol.x) are common: silence would read as "not read".
      boolean nothing = schema.files().stream()
          .allMatch(f -> f.constants().isEmpty() && f.types().isEmpty());
      out.println("no services: the --idl files declare " + (nothing ? "nothing" : "types only")
          + " (onyx call needs a program)");
    }
    if (!others.isEmpty()) {
      out.printf("%s %s in imported files or preludes: add %s to describe %s%n",
          others.size() == 1 ? "service" : "services", String.join(", ", others),
          others.size() == 1 ? "its name" : "a name", others.size() == 1 ? "it" : "one");
    }
    out.flush();
    return ExitCodes.OK;
  }

  /**
   * A parameter as the IDL declares it, its bound after its name: 'string line<>', 'int
   * cells[4]', 'tag names<MAX>', 'point *where' (not 'string<> line', which no IDL reads).
   */
  static String declaration(String type, String name) {
    if (type.endsWith(" *")) {
      return type + name;
    }
    char last = type.charAt(type.length() - 1);
    int bound = last == '>' ? type.lastIndexOf('<') : last == ']' ? type.lastIndexOf('[') : -1;
    return bound < 0 ? type + " " + name : type.substring(0, bound) + " " + name + type.substring(bound);
  }

  /** A type as the IDL wrote it, optional as {@link TypeNames} writes one ('point*'). */
  private static String written(String type) {
    return type.replace(" *", "*");
  }
}
