package org.onyxrpc.maven;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.lang.model.SourceVersion;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;
import org.onyxrpc.idl.source.CompilerOptions;
import org.onyxrpc.idl.source.Diagnostic;
import org.onyxrpc.idl.source.SourceFiles;
import org.onyxrpc.idl.IdlCompiler;
import org.onyxrpc.idl.cli.InputFiles;
import org.onyxrpc.idl.preprocess.Preprocessor;

/**
 * One run of the generator, free of Maven's injection so it can be tested directly: finds the
 * {@code .idl} files, skips everything when none changed since the last successful run, else
 * compiles all of them, writes the Java files whose text changed, deletes the files the last run
 * wrote that this one did not, and records what it did in the {@link GenerationIndex}.
 *
 * <p>Holds no shared state: parallel builds run one instance per module and execution, each
 * with its own output directory and index file.
 *
 * @param base the project directory: the log and the index name files relative to it
 * @param sourceDirectories where the {@code .idl} files to compile live (each searched
 *     recursively; all of them compiled in one run)
 * @param includeDirectories further directories where imports are looked up (their files are
 *     generated too when imported); the source directories are searched after them, in order
 * @param outputDirectory the root the Java sources are written under
 * @param indexFile where this execution keeps its {@link GenerationIndex}
 * @param version the plugin's version: a new version regenerates everything
 * @param defines preprocessor macros defined before each file is read ({@code -D})
 * @param undefines predefined macros removed ({@code -U}), such as {@code RPC_CLNT}
 * @param preludes files read before each input file, whose names they see (their Java is
 *     generated too)
 * @param reportedFrom the directory diagnostics name files relative to: where Maven was started,
 *     so that in a multi-module build {@code api/src/main/idl/x.idl:3:5} opens from the console
 * @param dependencies the classes the project's dependencies hold: a generated file whose class
 *     one of them holds (an imported {@code .idl} of another module) is not written
 * @param dependencyImports directories of the IDL files the dependencies carry ({@link
 *     DependencyIdl}), searched for imports after the source directories
 */
record IdlGeneration(
    Path base, List<Path> sourceDirectories, List<Path> includeDirectories, Path outputDirectory,
    Path indexFile, String version, Map<String, String> defines, List<String> undefines,
    List<Path> preludes, Path reportedFrom, DependencyClasses dependencies, List<Path> dependencyImports) {

  /** A generation whose imports come from the project's own directories only. */
  IdlGeneration(Path base, List<Path> sourceDirectories, List<Path> includeDirectories, Path outputDirectory,
      Path indexFile, String version, Map<String, String> defines, List<String> undefines, List<Path> preludes,
      Path reportedFrom, DependencyClasses dependencies) {
    this(base, sourceDirectories, includeDirectories, outputDirectory, indexFile, version, defines, undefines,
        preludes, reportedFrom, dependencies, List.of());
  }

  /** A generation that writes every file it generates, whatever the dependencies hold. */
  IdlGeneration(Path base, List<Path> sourceDirectories, List<Path> includeDirectories, Path outputDirectory,
      Path indexFile, String version, Map<String, String> defines, List<String> undefines, List<Path> preludes,
      Path reportedFrom) {
    this(base, sourceDirectories, includeDirectories, outputDirectory, indexFile, version, defines, undefines,
        preludes, reportedFrom, DependencyClasses.NONE);
  }

  /** A generation whose diagnostics name files relative to the project. */
  IdlGeneration(Path base, List<Path> sourceDirectories, List<Path> includeDirectories, Path outputDirectory,
      Path indexFile, String version, Map<String, String> defines, List<String> undefines, List<Path> preludes) {
    this(base, sourceDirectories, includeDirectories, outputDirectory, indexFile, version, defines, undefines,
        preludes, base);
  }

  /** A generation of one source directory without macros or preludes. */
  IdlGeneration(Path base, Path sourceDirectory, List<Path> includeDirectories, Path outputDirectory,
      Path indexFile, String version) {
    this(base, List.of(sourceDirectory), includeDirectories, outputDirectory, indexFile, version, Map.of(),
        List.of(), List.of());
  }

  /** The setting that records the output directory, as shown (relative to the project when under it). */
  private static final String OUTPUT_SETTING = "out";

  /**
   * The setting that records the generated files left to the dependencies that hold their
   * classes, so that a dependency that stops holding one regenerates.
   */
  private static final String PROVIDED_SETTING = "provided";

  /** How many of the files left to dependencies the log names. */
  private static final int SHOWN_PROVIDED = 8;

  /**
   * What a run did, for the log and for tests.
   *
   * @param outsideTheSources the files of the project that this run {@code #include}d (not
   *     {@code .idl} files, which are imported from the module whose sources hold them, and come
   *     in its jar) through an include directory and that are under no source directory, as
   *     shown: the jar does not carry them (empty when nothing was generated)
   */
  record Outcome(boolean upToDate, int inputs, int written, int unchanged, int deleted, int warnings,
      List<String> outsideTheSources) {
    Outcome {
      outsideTheSources = List.copyOf(outsideTheSources);
    }

    Outcome(boolean upToDate, int inputs, int written, int unchanged, int deleted, int warnings) {
      this(upToDate, inputs, written, unchanged, deleted, warnings, List.of());
    }
  }

  IdlGeneration {
    Path root = base.toAbsolutePath().normalize();
    base = root;
    sourceDirectories = sourceDirectories.stream().map(d -> root.resolve(d).normalize()).distinct().toList();
    includeDirectories = includeDirectories.stream().map(d -> root.resolve(d).normalize()).toList();
    outputDirectory = root.resolve(outputDirectory).normalize();
    indexFile = root.resolve(indexFile).normalize();
    defines = Map.copyOf(defines);
    undefines = List.copyOf(undefines);
    preludes = preludes.stream().map(p -> root.resolve(p).normalize()).toList();
    reportedFrom = root.resolve(reportedFrom).normalize();
    dependencyImports = dependencyImports.stream().map(d -> root.resolve(d).normalize()).toList();
  }

  /**
   * Runs the generator.
   *
   * @throws MojoFailureException when an {@code .idl} file has errors (each was logged as an error)
   * @throws MojoExecutionException when a file cannot be read or written
   */
  Outcome run(Log log) throws MojoFailureException, MojoExecutionException {
    warnOfDirectoriesThatAreNone(base, "includeDirectory", includeDirectories, log);
    try {
      List<Path> roots = new ArrayList<>();
      for (Path dir : sourceDirectories) {
        roots.addAll(idlFiles(dir));
      }
      GenerationIndex current = new GenerationIndex(settings(), hashes(roots), List.of());
      Optional<GenerationIndex> previous = GenerationIndex.read(indexFile);
      if (roots.isEmpty()) {
        // Said on every run, not as "0 files unchanged": a misplaced directory is a likely cause.
        int deleted = deleteStale(previous, Set.of());
        current.write(indexFile);
        String missing = sourceDirectories.stream().noneMatch(Files::isDirectory)
            ? sourceDirectories.size() == 1 ? " (no such directory)" : " (no such directories)" : "";
        log.info("No .idl, .x or .rpcl files in " + shownSources() + missing + ": nothing to generate"
            + (deleted > 0 ? " (" + count(deleted, "stale Java file") + " removed)" : ""));
        return new Outcome(false, 0, 0, 0, deleted, 0);
      }
      if (previous.isPresent()
          && previous.get().sameInputs(withFilesReadBefore(withProvided(current, previous.get()), previous.get()))
          && outputsExist(previous.get())) {
        log.info("Nothing to generate: " + count(roots.size(), kinds(roots) + " file") + " in " + shownSources()
            + " unchanged since the last build");
        return new Outcome(true, roots.size(), 0, previous.get().outputs().size(), 0, 0);
      }
      return generate(roots, current, previous, log);
    } catch (IOException | UncheckedIOException e) {
      throw new MojoExecutionException("Onyx: cannot generate Java from " + shownSources() + ": "
          + FileFailures.words(e, this::shown), e);
    }
  }

  private Outcome generate(List<Path> roots, GenerationIndex current, Optional<GenerationIndex> previous, Log log)
      throws IOException, MojoFailureException {
    List<Path> importPath = new ArrayList<>(includeDirectories);
    importPath.addAll(sourceDirectories);
    importPath.addAll(dependencyImports);
    List<Path> inputs = roots.stream().filter(root -> !preludes.contains(root)).toList();
    IdlCompiler.Result result = IdlCompiler.compile(reportedFrom,
        new CompilerOptions(importPath, defines, undefines, preludes), inputs);
    int warnings = logDiagnostics(result, roots, log);
    List<String> packageless = packagelessIdlFiles(result);
    packageless.forEach(log::warn);
    warnings += packageless.size();
    int written = 0;
    Set<String> outputs = new HashSet<>();
    Map<String, String> provided = new TreeMap<>();
    for (IdlCompiler.GeneratedSource source : result.sources()) {
      Optional<String> holder = dependencies.holder(classResource(source.path()));
      if (holder.isPresent()) {
        provided.put(source.path(), holder.get());
        continue;
      }
      outputs.add(source.path());
      if (writeIfChanged(outputDirectory.resolve(source.path()), source.content())) {
        written++;
      }
    }
    int deleted = deleteStale(previous, outputs);
    Map<String, String> read = new LinkedHashMap<>(current.inputs());
    for (Path file : result.read()) {
      read.putIfAbsent(shown(file), GenerationIndex.hash(file));
    }
    new GenerationIndex(current.settings() + providedSetting(provided.keySet()), read, List.copyOf(outputs))
        .write(indexFile);
    if (!provided.isEmpty()) {
      logProvided(provided, log);
    }
    int unchanged = outputs.size() - written;
    log.info("Generated " + count(outputs.size(), "Java file") + " from " + count(roots.size(), kinds(roots) + " file")
        + " into " + shown(outputDirectory) + " (" + written + " written, " + unchanged + " unchanged, "
        + deleted + " removed)");
    return new Outcome(false, roots.size(), written, unchanged, deleted, warnings, outsideTheSources(result.read()));
  }

  /** Those of {@code read} in the project, not .idl, under an include directory and no source directory. */
  private List<String> outsideTheSources(List<Path> read) {
    return read.stream().map(file -> file.toAbsolutePath().normalize())
        .filter(file -> file.startsWith(base) && !file.getFileName().toString().endsWith(".idl")
            && includeDirectories.stream().anyMatch(file::startsWith)
            && sourceDirectories.stream().noneMatch(file::startsWith))
        .map(this::shown).sorted().toList();
  }

  /**
   * Logs the compiler's diagnostics in plugin terms; fails the build if any is an error.
   *
   * @return the number of warnings
   */
  private int logDiagnostics(IdlCompiler.Result result, List<Path> roots, Log log) throws MojoFailureException {
    int errors = 0;
    int warnings = 0;
    Diagnostic firstError = null;
    for (Diagnostic diagnostic : result.diagnostics().sorted().stream().map(IdlGeneration::inPluginTerms).toList()) {
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
      throw new MojoFailureException("Onyx: " + count(errors, "error") + " in the " + kinds(roots) + " files of "
          + shownSources() + ", first " + firstError.location() + ": " + firstError.message()
          + "; nothing was generated");
    }
    return warnings;
  }

  /** The generated files left to a dependency that holds their classes: the first few by name. */
  private static void logProvided(Map<String, String> provided, Log log) {
    // The first few, so that a large imported .x file makes one readable line.
    log.info("Not generating " + count(provided.size(), "Java file") + " whose class a dependency already holds: "
        + String.join(", ", provided.entrySet().stream().limit(SHOWN_PROVIDED)
            .map(e -> className(e.getKey()) + " (" + e.getValue() + ")").toList())
        + (provided.size() > SHOWN_PROVIDED ? " and " + (provided.size() - SHOWN_PROVIDED) + " more" : ""));
  }

  /**
   * A warning for each {@code .idl} file of the run that declares no package but generates Java:
   * that Java lands in the default package, which no class of a named package can import (JLS
   * 7.5), so a project's own code cannot use it. Legal (and a {@code .x} file, which cannot
   * declare one, lands there too, as maven-plugin/README.md says), hence a warning and no error.
   */
  private static List<String> packagelessIdlFiles(IdlCompiler.Result result) {
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
   * {@code current} with the setting of the files a dependency holds among those the last run
   * generated (written or left to a dependency), as a run with the last run's inputs would record
   * it: the same as the last run's unless a dependency took or dropped one of those classes.
   */
  private GenerationIndex withProvided(GenerationIndex current, GenerationIndex previous) {
    Set<String> generated = new TreeSet<>(previous.outputs());
    previous.setting(PROVIDED_SETTING).ifPresent(list -> generated.addAll(List.of(list.split(","))));
    List<String> provided = generated.stream()
        .filter(path -> dependencies.holder(classResource(path)).isPresent()).toList();
    return new GenerationIndex(current.settings() + providedSetting(provided), current.inputs(), current.outputs());
  }

  private static String providedSetting(Collection<String> paths) {
    return paths.isEmpty() ? "" : "|" + PROVIDED_SETTING + "=" + String.join(",", new TreeSet<>(paths));
  }

  /** {@code com/example/Point.java} → {@code com/example/Point.class}. */
  private static String classResource(String javaPath) {
    return javaPath.substring(0, javaPath.length() - ".java".length()) + ".class";
  }

  /** {@code com/example/Point.java} → {@code com.example.Point}. */
  private static String className(String javaPath) {
    return javaPath.substring(0, javaPath.length() - ".java".length()).replace('/', '.');
  }

  /** Everything besides the input files that changes the output. */
  private String settings() {
    StringBuilder settings = new StringBuilder(version).append('|').append(OUTPUT_SETTING).append('=')
        .append(shown(outputDirectory));
    includeDirectories.forEach(dir -> settings.append("|include=").append(shown(dir)));
    new TreeMap<>(defines).forEach((name, value) -> settings.append("|D").append(name)
        .append('=').append(value));
    undefines.forEach(name -> settings.append("|U").append(name));
    preludes.forEach(prelude -> settings.append("|prelude=").append(shown(prelude)));
    return settings.toString();
  }

  /**
   * Hashes of the roots and of every {@code .idl} an import could reach in the include
   * directories and the dependencies' IDL.
   */
  private Map<String, String> hashes(List<Path> roots) throws IOException {
    Map<String, String> hashes = new LinkedHashMap<>();
    List<Path> all = new ArrayList<>(roots);
    preludes.stream().filter(prelude -> !roots.contains(prelude)).forEach(all::add);
    for (Path dir : includeDirectories) {
      all.addAll(idlFiles(dir));
    }
    for (Path dir : dependencyImports) {
      all.addAll(idlFiles(dir));
    }
    for (Path file : all) {
      hashes.put(shown(file), GenerationIndex.hash(file));
    }
    return hashes;
  }

  /**
   * {@code current} with the files the last run read beyond the ones found by listing (an
   * {@code #include}d {@code .h}, an import from outside the directories) hashed as they are
   * now; one that is gone is left out, so the inputs differ.
   */
  private GenerationIndex withFilesReadBefore(GenerationIndex current, GenerationIndex previous) throws IOException {
    Map<String, String> inputs = new LinkedHashMap<>(current.inputs());
    for (String shown : previous.inputs().keySet()) {
      Path file = base.resolve(shown).normalize();
      if (!inputs.containsKey(shown) && Files.isRegularFile(file)) {
        inputs.put(shown, GenerationIndex.hash(file));
      }
    }
    return new GenerationIndex(current.settings(), inputs, current.outputs());
  }

  private boolean outputsExist(GenerationIndex index) {
    return index.outputs().stream().allMatch(o -> Files.isRegularFile(outputDirectory.resolve(o)));
  }

  private static boolean writeIfChanged(Path file, String content) throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    // An unchanged file keeps its timestamp, so the compiler's own incremental check holds.
    if (Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), bytes)) {
      return false;
    }
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
    return true;
  }

  /**
   * Deletes what the previous run wrote and this one did not, then the directories left empty.
   * The previous run's files are looked for where it wrote them: after the output directory
   * changed, all of them are stale there, and nothing in the new one is touched.
   */
  private int deleteStale(Optional<GenerationIndex> previous, Set<String> keep) throws IOException {
    Path previousOutput = previous.flatMap(index -> index.setting(OUTPUT_SETTING))
        .map(shown -> base.resolve(shown).normalize()).orElse(outputDirectory);
    Set<String> kept = previousOutput.equals(outputDirectory) ? keep : Set.of();
    int deleted = 0;
    for (String output : previous.map(GenerationIndex::outputs).orElse(List.of())) {
      if (kept.contains(output)) {
        continue;
      }
      Path file = previousOutput.resolve(output).normalize();
      if (file.startsWith(previousOutput) && Files.deleteIfExists(file)) {
        deleted++;
        for (Path dir = file.getParent(); dir != null && !dir.equals(previousOutput); dir = dir.getParent()) {
          try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
              break;
            }
          }
          Files.delete(dir);
        }
      }
    }
    return deleted;
  }

  /**
   * Every schema source under {@code dir} ({@link SourceFiles#isSource}: {@code .idl}, {@code .x}
   * and {@code .rpcl}), in a stable order; none when it does
   * not exist. Symbolic links are followed: a linked directory of shared files is under the root
   * as the user sees it (it was skipped, its files silently not compiled).
   */
  static List<Path> idlFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Path> found = new ArrayList<>();
    Files.walkFileTree(dir, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
        String name = file.getFileName().toString();
        if (attributes.isRegularFile() && SourceFiles.isSource(name)) {
          found.add(file);
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof FileSystemLoopException) {
          return FileVisitResult.CONTINUE;  // a link to a directory above: its files are listed already
        }
        throw e;
      }
    });
    found.sort(null);
    return List.copyOf(found);
  }

  /**
   * Warns of each of {@code directories} that is not a directory, as idlc warns of such a {@code
   * -I}: a mistyped include directory otherwise shows only as an import not found, if one is, and
   * a mistyped source directory not at all. Said on every run, up to date or not, as idlc says
   * it; a warning, not an error, as builds name directories only some machines have.
   *
   * @param base the project directory, which the warning names the directories relative to
   * @param element the pom element that named them, such as {@code includeDirectory}
   */
  static void warnOfDirectoriesThatAreNone(Path base, String element, List<Path> directories, Log log) {
    Path root = base.toAbsolutePath().normalize();
    for (Path dir : directories) {
      Path absolute = root.resolve(dir).normalize();
      String reason = InputFiles.notADirectory(absolute);
      if (reason != null) {
        log.warn("Onyx: <" + element + "> " + shown(root, absolute) + ": " + reason);
      }
    }
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

  /** What the inputs are, for the log: their endings, such as {@code .x} or {@code .idl and .x}. */
  static String kinds(List<Path> files) {
    List<String> endings = SourceFiles.ENDINGS.stream()
        .filter(ending -> files.stream().anyMatch(f -> f.getFileName().toString().endsWith(ending)))
        .toList();
    if (endings.isEmpty()) {
      return SourceFiles.ENDINGS.get(0);
    }
    int last = endings.size() - 1;
    return last == 0 ? endings.get(0)
        : String.join(", ", endings.subList(0, last)) + " and " + endings.get(last);
  }

  private String shownSources() {
    return String.join(", ", sourceDirectories.stream().map(this::shown).toList());
  }

  private String shown(Path path) {
    return shown(base, path);
  }

  /** {@code path} relative to {@code base} when under it, else absolute, with forward slashes. */
  private static String shown(Path base, Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    return (absolute.startsWith(base) ? base.relativize(absolute) : absolute).toString().replace('\\', '/');
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
