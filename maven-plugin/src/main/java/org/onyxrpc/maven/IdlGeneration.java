package org.onyxrpc.maven;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;
import org.onyxrpc.idl.IdlCompiler;
import org.onyxrpc.idl.source.CompilerOptions;

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
    IdlSourceFiles.warnOfDirectoriesThatAreNone(base, "includeDirectory", includeDirectories, log);
    try {
      List<Path> roots = new ArrayList<>();
      for (Path dir : sourceDirectories) {
        roots.addAll(IdlSourceFiles.idlFiles(dir));
      }
      GenerationIndex current = new GenerationIndex(settings(), hashes(roots), List.of());
      Optional<GenerationIndex> previous = GenerationIndex.read(indexFile);
      if (roots.isEmpty()) {
        // Said on every run, not as "0 files unchanged": a misplaced directory is a likely cause.
        int deleted = output().deleteStale(previous, Set.of());
        current.write(indexFile);
        String missing = sourceDirectories.stream().noneMatch(Files::isDirectory)
            ? sourceDirectories.size() == 1 ? " (no such directory)" : " (no such directories)" : "";
        log.info("No .idl, .x or .rpcl files in " + shownSources() + missing + ": nothing to generate"
            + (deleted > 0 ? " (" + Shown.count(deleted, "stale Java file") + " removed)" : ""));
        return new Outcome(false, 0, 0, 0, deleted, 0);
      }
      if (previous.isPresent()
          && previous.get().sameInputs(
              withFilesReadBefore(providedFiles().withProvided(current, previous.get()), previous.get()))
          && output().holdsAll(previous.get())) {
        log.info("Nothing to generate: " + Shown.count(roots.size(), IdlSourceFiles.kinds(roots) + " file")
            + " in " + shownSources() + " unchanged since the last build");
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
    int warnings = GenerationDiagnostics.log(result, roots, shownSources(), log);
    List<String> packageless = GenerationDiagnostics.packagelessIdlFiles(result);
    packageless.forEach(log::warn);
    warnings += packageless.size();
    int written = 0;
    Set<String> outputs = new HashSet<>();
    Map<String, String> provided = new TreeMap<>();
    for (IdlCompiler.GeneratedSource source : result.sources()) {
      Optional<String> holder = providedFiles().holder(source.path());
      if (holder.isPresent()) {
        provided.put(source.path(), holder.get());
        continue;
      }
      outputs.add(source.path());
      if (output().writeIfChanged(source.path(), source.content())) {
        written++;
      }
    }
    int deleted = output().deleteStale(previous, outputs);
    Map<String, String> read = new LinkedHashMap<>(current.inputs());
    for (Path file : result.read()) {
      read.putIfAbsent(shown(file), GenerationIndex.hash(file));
    }
    new GenerationIndex(current.settings() + ProvidedFiles.setting(provided.keySet()), read, List.copyOf(outputs))
        .write(indexFile);
    if (!provided.isEmpty()) {
      ProvidedFiles.log(provided, log);
    }
    int unchanged = outputs.size() - written;
    log.info("Generated " + Shown.count(outputs.size(), "Java file") + " from "
        + Shown.count(roots.size(), IdlSourceFiles.kinds(roots) + " file")
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

  /** Everything besides the input files that changes the output. */
  private String settings() {
    StringBuilder settings = new StringBuilder(version).append('|').append(OutputDirectory.SETTING).append('=')
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
      all.addAll(IdlSourceFiles.idlFiles(dir));
    }
    for (Path dir : dependencyImports) {
      all.addAll(IdlSourceFiles.idlFiles(dir));
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

  private String shownSources() {
    return String.join(", ", sourceDirectories.stream().map(this::shown).toList());
  }

  private String shown(Path path) {
    return Shown.path(base, path);
  }

  private OutputDirectory output() {
    return new OutputDirectory(base, outputDirectory);
  }

  private ProvidedFiles providedFiles() {
    return new ProvidedFiles(dependencies);
  }
}
