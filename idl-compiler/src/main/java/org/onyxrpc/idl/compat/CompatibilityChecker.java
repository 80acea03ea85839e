package org.onyxrpc.idl.compat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.onyxrpc.idl.source.CompilerOptions;
import org.onyxrpc.idl.source.Diagnostic;
import org.onyxrpc.idl.source.Diagnostics;
import org.onyxrpc.idl.schema.Constant;
import org.onyxrpc.idl.schema.Schema;
import org.onyxrpc.idl.schema.SchemaFile;
import org.onyxrpc.idl.schema.Service;
import org.onyxrpc.idl.schema.TypeDecl;

/**
 * Compares two versions of a schema and tells what the change breaks: old peers on the wire
 * (errors), Java code written against the old generated classes (warnings), or nothing (info).
 *
 * <pre>{@code
 * CompatibilityChecker.Result result = CompatibilityChecker.check(
 *     Path.of("."), Path.of("baseline"), Path.of("src/main/idl"), CompilerOptions.includes(List.of()));
 * System.err.print(result.diagnostics().format());
 * result.report().ifPresent(report -> System.err.print(report.format(false, false)));
 * }</pre>
 */
public final class CompatibilityChecker {
  private final SchemaVersion oldVersion;
  private final SchemaVersion newVersion;
  private final Findings findings = new Findings();
  private final WireMatch match;
  private final Uses uses;

  private CompatibilityChecker(SchemaVersion oldVersion, SchemaVersion newVersion) {
    this.oldVersion = oldVersion;
    this.newVersion = newVersion;
    this.match = new WireMatch(oldVersion.schema(), newVersion.schema());
    this.uses = new Uses(match, findings, oldVersion.schema(), newVersion.schema());
  }

  /**
   * The diagnostics of loading both versions, and the report when both linked without errors.
   *
   * @param diagnostics the diagnostics of loading both versions
   * @param report the report, when both versions linked without errors
   */
  public record Result(Diagnostics diagnostics, Optional<CompatReport> report) {}

  /**
   * Loads {@code oldInput} and {@code newInput} (each a file, or a directory of {@code .idl} and
   * {@code .x} files) and compares them. Files are named relative to {@code base}.
   *
   * @param base the directory diagnostics name files relative to
   * @param oldInput the released version
   * @param newInput the current version
   * @param options include directories, macros and preludes, for both versions
   * @return the diagnostics, and the report when both versions linked
   * @throws IOException when a directory cannot be listed
   */
  public static Result check(Path base, Path oldInput, Path newInput, CompilerOptions options)
      throws IOException {
    SchemaVersion.Loaded old = SchemaVersion.load(base, oldInput, options);
    SchemaVersion.Loaded now = SchemaVersion.load(base, newInput, options);
    // Only errors: warnings about either version (a derived number, say) are not about the change.
    Diagnostics diagnostics = new Diagnostics();
    for (SchemaVersion.Loaded loaded : List.of(old, now)) {
      loaded.diagnostics().sorted().forEach(d -> {
        if (d.severity() == Diagnostic.Severity.ERROR) {
          diagnostics.error(d.location(), d.message(), d.context().toArray(String[]::new));
        }
      });
    }
    if (old.version().isEmpty() || now.version().isEmpty()) {
      return new Result(diagnostics, Optional.empty());
    }
    return new Result(diagnostics, Optional.of(check(old.version().get(),
        now.version().get())));
  }

  /**
   * Compares two linked versions of a schema.
   *
   * @param oldVersion the released version
   * @param newVersion the current version
   * @return what changed, by how it breaks
   */
  public static CompatReport check(SchemaVersion oldVersion, SchemaVersion newVersion) {
    return new CompatibilityChecker(oldVersion, newVersion).run();
  }

  private CompatReport run() {
    Schema old = oldVersion.schema();
    Schema now = newVersion.schema();
    DataTypeCheck types = new DataTypeCheck(oldVersion, newVersion, match, uses, findings);
    Map<String, TypeDecl> oldTypes = types(old);
    Map<String, TypeDecl> newTypes = types(now);
    oldTypes.forEach((name, type) -> {
      if (newTypes.containsKey(name)) {
        types.compare(type, newTypes.get(name));
      }
    });
    new ServiceCheck(oldVersion, newVersion, match, uses, findings).run();
    Set<String> renamedTo = new HashSet<>();
    oldTypes.forEach((name, type) -> {
      if (newTypes.containsKey(name)) {
        return;
      }
      String to = match.renamed().get(name);
      if (to != null && !oldTypes.containsKey(to)) {
        renamedTo.add(to);
        findings.source(newTypes.get(to).location(), type.location(), "type `" + name
            + "` renamed to `" + to + "`: the wire is unchanged, but Java code using `" + name
            + "` no longer compiles");
      } else {
        findings.source(type.location(), null, "type `" + name
            + "` removed: Java code using it no longer compiles");
      }
    });
    newTypes.forEach((name, type) -> {
      if (!oldTypes.containsKey(name) && !renamedTo.contains(name)) {
        findings.safe(type.location(), null, "new type `" + name + "`");
      }
    });
    constants();
    packages();
    return findings.report();
  }

  private void constants() {
    Map<String, Constant> oldConstants = constants(oldVersion.schema());
    Map<String, Constant> newConstants = constants(newVersion.schema());
    oldConstants.forEach((name, c) -> {
      Constant n = newConstants.get(name);
      if (n == null) {
        findings.source(c.location(), null, "constant `" + name
            + "` removed: Java code using it no longer compiles");
      } else if (!Objects.equals(c.value(), n.value())
          || !Objects.equals(c.text(), n.text())) {
        findings.safe(n.location(), c.location(), "constant `" + name + "` changed from "
            + text(c) + " to " + text(n) + " (any bound written with it is reported on its own)");
      }
    });
    newConstants.forEach((name, c) -> {
      if (!oldConstants.containsKey(name)) {
        findings.safe(c.location(), null, "new constant `" + name + "`");
      }
    });
  }

  private static String text(Constant c) {
    return c.isText() ? "\"" + c.text() + "\"" : c.value().toString();
  }

  /** One warning per pair of files whose Java package differs for the same names. */
  private void packages() {
    Map<String, SchemaFile> oldFileOf = fileOfName(oldVersion.schema());
    Map<String, SchemaFile> newFileOf = fileOfName(newVersion.schema());
    Set<String> reported = new HashSet<>();
    newFileOf.forEach((name, newFile) -> {
      SchemaFile oldFile = oldFileOf.get(name);
      if (oldFile != null && !oldFile.javaPackage().equals(newFile.javaPackage())
          && reported.add(oldFile.file() + "\u0000" + newFile.file())) {
        findings.source(newVersion.positions().packageOf(newFile.file()),
            oldVersion.positions().packageOf(oldFile.file()), "Java package changed from `"
            + oldFile.javaPackage() + "` to `" + newFile.javaPackage() + "` (for `" + name
            + "`): the wire is unchanged, but Java code importing the generated classes no"
            + " longer compiles");
      }
    });
  }

  private static Map<String, SchemaFile> fileOfName(Schema schema) {
    Map<String, SchemaFile> files = new LinkedHashMap<>();
    for (SchemaFile file : schema.files()) {
      file.types().forEach(t -> files.putIfAbsent(t.name(), file));
      for (Service service : file.services()) {
        files.putIfAbsent(service.name(), file);
      }
    }
    return files;
  }

  private static Map<String, TypeDecl> types(Schema schema) {
    Map<String, TypeDecl> types = new LinkedHashMap<>();
    schema.files().forEach(f -> f.types().forEach(t -> types.putIfAbsent(t.name(), t)));
    return types;
  }

  private static Map<String, Constant> constants(Schema schema) {
    Map<String, Constant> constants = new HashMap<>();
    schema.files().forEach(f -> f.constants().forEach(c -> constants.putIfAbsent(c.name(), c)));
    return constants;
  }
}
