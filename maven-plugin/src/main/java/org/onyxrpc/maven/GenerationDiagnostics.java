package org.onyxrpc.maven;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.lang.model.SourceVersion;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;
import org.onyxrpc.idl.IdlCompiler;
import org.onyxrpc.idl.preprocess.Preprocessor;
import org.onyxrpc.idl.source.Diagnostic;

/** The compiler's diagnostics, and the plugin's own warnings of a compilation, as a plugin user reads them. */
final class GenerationDiagnostics {
  private GenerationDiagnostics() {}

  /**
   * Logs the compiler's diagnostics in plugin terms; fails the build if any is an error.
   *
   * @param shownSources the source directories as the log names them
   * @return the number of warnings
   */
  static int log(IdlCompiler.Result result, List<Path> roots, String shownSources, Log log)
      throws MojoFailureException {
    int errors = 0;
    int warnings = 0;
    Diagnostic firstError = null;
    for (Diagnostic diagnostic : result.diagnostics().sorted().stream()
        .map(GenerationDiagnostics::inPluginTerms).toList()) {
      if (diagnostic.severity() == Diagnostic.Severity.ERROR) {
        log.error(diagnostic.format());
        firstError = firstError == null ? diagnostic : firstError;
        errors++;
      } else {
        log.warn(diagnostic.format());
        warnings++;
      }
    }
    if (!result.succeeded()) {
      throw new MojoFailureException("Onyx: " + Shown.count(errors, "error") + " in the "
          + IdlSourceFiles.kinds(roots) + " files of " + shownSources + ", first " + firstError.location() + ": "
          + firstError.message() + "; nothing was generated");
    }
    return warnings;
  }

  /**
   * A warning for each {@code .idl} file of the run that declares no package but generates Java:
   * that Java lands in the default package, which no class of a named package can import (JLS
   * 7.5), so a project's own code cannot use it. Legal (and a {@code .x} file, which cannot
   * declare one, lands there too, as maven-plugin/README.md says), hence a warning and no error.
   */
  static List<String> packagelessIdlFiles(IdlCompiler.Result result) {
    return result.schema().map(schema -> schema.files().stream()
        .filter(f -> f.file().endsWith(".idl") && f.javaPackage().isEmpty()
            && !(f.constants().isEmpty() && f.types().isEmpty() && f.services().isEmpty()))
        .map(f -> f.file() + ":1:1: warning: no package declaration: its Java goes to the default"
            + " package, which classes in a named package cannot import; begin the file with a"
            + " package, such as 'package com.example." + javaPart(f.file()) + ";'")
        .toList()).orElse(List.of());
  }

  /** The file's base name as a lowercase package part, for the suggestion: "Calc.idl" → "calc". */
  private static String javaPart(String file) {
    String base = Path.of(file).getFileName().toString();
    String part = base.substring(0, base.length() - ".idl".length()).toLowerCase(Locale.ROOT)
        .replaceAll("[^a-z0-9_]", "");
    return part.isEmpty() || !Character.isJavaIdentifierStart(part.charAt(0))
        || SourceVersion.isKeyword(part) ? "name" : part;
  }

  /**
   * The diagnostic as a plugin user acts on it: a missing include file or import is fixed in the
   * pom's {@code <includeDirectories>}, not with idlc's {@code -I}, which a Maven build has no
   * place for.
   */
  static Diagnostic inPluginTerms(Diagnostic diagnostic) {
    String message = diagnostic.message().replace(Preprocessor.INCLUDE_DIRECTORY_HINT,
        "add its directory to the plugin's <includeDirectories>");
    return message.equals(diagnostic.message()) ? diagnostic
        : new Diagnostic(diagnostic.severity(), diagnostic.location(), message, diagnostic.context());
  }
}
