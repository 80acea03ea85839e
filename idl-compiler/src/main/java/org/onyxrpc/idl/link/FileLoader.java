package org.onyxrpc.idl.link;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.onyxrpc.idl.source.CompilerOptions;
import org.onyxrpc.idl.source.Diagnostics;
import org.onyxrpc.idl.source.Location;
import org.onyxrpc.idl.source.SourceText;
import org.onyxrpc.idl.parser.Elements.Import;
import org.onyxrpc.idl.parser.FileElement;
import org.onyxrpc.idl.parser.IdlFileParser;
import org.onyxrpc.idl.preprocess.IncludePaths;
import org.onyxrpc.idl.preprocess.LineMap;
import org.onyxrpc.idl.preprocess.Preprocessor;
import org.onyxrpc.idl.preprocess.SkippedDefinition;

/**
 * Reads and parses the named files and everything they import. An import is looked up beside
 * the importing file, then in each include directory in order. Missing and circular imports are
 * reported at the {@code import} that names them. A {@code %#include} of a header rpcgen made
 * from a {@code .x} file that is to be had ({@link HeaderSources}) imports that file.
 */
public final class FileLoader {
  /**
   * Files in load order (imports before their importers) and the import edges. {@code
   * incomplete} names the files that could not be read or parsed and those with an import or
   * {@code #include} that was not found: in a file that sees one of them, a name missing may well be declared there,
   * and reporting it as unknown would only repeat the first mistake. {@code cDefines} holds the
   * value of each {@code %#define NAME value} line, by name: an unknown name may be one of them;
   * {@code cTypedefs} the C declaration of each type a {@code %typedef} gives C, by name.
   * {@code cConstants} the C declaration of each constant a {@code %enum} or {@code %const}
   * gives C, by name. {@code skippedDefinitions} holds, per file and then by name, what lines skipped only because
   * idlc defines one of rpcgen's symbols would have declared: the hint of an unknown name.
   *
   * @param files the files in load order, imports before their importers
   * @param roots the files given to the run
   * @param imports the import edges: each file's imported files
   * @param incomplete the files that could not be read, parsed or have an import or include not found
   * @param cIncludes by file name, the first {@code %#include} header of that file that Onyx does not read
   * @param cDefines the value of each {@code %#define NAME value} line, by name
   * @param cTypedefs the C declaration of each type a {@code %typedef} gives C, by name
   * @param cConstants the C declaration of each constant a {@code %enum} or {@code %const} gives C, by name
   * @param skippedDefinitions per file and then by name, what skipped lines would have declared
   */
  public record Loaded(
      List<FileElement> files, List<String> roots, Map<String, List<String>> imports,
      Set<String> incomplete, Map<String, String> cIncludes, Map<String, String> cDefines,
      Map<String, String> cTypedefs, Map<String, String> cConstants,
      Map<String, Map<String, SkippedDefinition>> skippedDefinitions) {
    /**
     * True when every file was read, parsed and found.
     *
     * @return whether nothing is missing
     */
    public boolean complete() {
      return incomplete.isEmpty();
    }
  }

  private enum State { LOADING, DONE }

  private final Path base;
  private final List<Path> includeDirs;
  private final Diagnostics diagnostics;
  private final Preprocessor preprocessor;
  private final CompilerOptions options;
  private final List<String> preludes = new ArrayList<>();
  private final List<Path> preludePaths;
  private final Map<Path, State> states = new HashMap<>();
  private final Map<String, FileElement> parsed = new LinkedHashMap<>();
  private final Map<String, List<String>> imports = new LinkedHashMap<>();
  private final List<String> stack = new ArrayList<>();
  private final Set<String> incomplete = new TreeSet<>();
  private final Map<String, String> cIncludes = new LinkedHashMap<>();
  private final Map<String, List<String>> headerEdges = new LinkedHashMap<>();
  private final Map<String, String> cDefines = new LinkedHashMap<>();
  private final Map<String, String> cTypedefs = new LinkedHashMap<>();
  private final Map<String, String> cConstants = new LinkedHashMap<>();
  private final Map<String, Map<String, SkippedDefinition>> skippedDefinitions = new LinkedHashMap<>();

  /**
   * Display names are relative to {@code base} when the file lies under it.
   *
   * @param base the directory display names are relative to
   * @param includeDirs where imports are looked up after the importer's directory
   * @param diagnostics where problems are reported
   */
  public FileLoader(Path base, List<Path> includeDirs, Diagnostics diagnostics) {
    this(base, CompilerOptions.includes(includeDirs), diagnostics);
  }

  /**
   * Display names are relative to {@code base} when the file lies under it.
   *
   * @param base the directory display names are relative to
   * @param options include directories, macros and preludes
   * @param diagnostics where problems are reported
   */
  public FileLoader(Path base, CompilerOptions options, Diagnostics diagnostics) {
    this.base = base.toAbsolutePath().normalize();
    this.includeDirs = options.includeDirs();
    this.diagnostics = diagnostics;
    this.preludePaths = options.preludes();
    this.options = options;
    this.preprocessor = new Preprocessor(includeDirs,
        Preprocessor.predefined(options.defines(), options.undefines()), this::display, diagnostics);
  }

  /**
   * Every file read so far: the roots, the preludes, what they import and what they
   * {@code #include}, absolute and sorted. A build tool keeps it to know when to compile again:
   * a changed {@code .h} changes the output as much as a changed {@code .idl} does.
   *
   * @return the files read
   */
  public List<Path> read() {
    SortedSet<Path> read = new TreeSet<>(preprocessor.included());
    states.keySet().forEach(path -> read.add(path.toAbsolutePath().normalize()));
    return List.copyOf(read);
  }

  /** Why a path named as a file is none: a directory is not "no such file". */
  private static String missing(Path path) {
    return Files.isDirectory(path) ? "a directory, not a file" : "no such file";
  }

  /**
   * Loads the preludes, then {@code roots}; files with syntax errors are reported and left out.
   * Every file but the preludes sees the preludes' names as if it imported them. A root that
   * another root {@code #include}s (rpcgen's {@code nis.x} and {@code nis_object.x}) is compiled
   * through its includer only, as it would be from an include directory, and not on its own a
   * second time, where each of its names would be declared twice.
   *
   * @param roots the files asked for
   * @return the parsed files with their imports and what their C directives declared
   */
  public Loaded load(List<Path> roots) {
    Set<Path> includedByRoots = includedBy(roots);
    List<Path> own = roots.stream().filter(root -> !includedByRoots.contains(root.toAbsolutePath().normalize())).toList();
    roots = own.isEmpty() ? roots : own; // roots that all include each other: compiled as given
    for (Path prelude : preludePaths) {
      Path path = prelude.toAbsolutePath().normalize();
      if (!Files.isRegularFile(path)) {
        diagnostics.error(new Location(display(path), 1, 1), "cannot read prelude: " + missing(path));
        incomplete.add(display(path));
        preludes.add(display(path));
        continue;
      }
      visit(path);
      preludes.add(display(path));
    }
    List<String> rootNames = new ArrayList<>();
    for (Path root : roots) {
      Path path = root.toAbsolutePath().normalize();
      rootNames.add(display(path));
      if (!Files.isRegularFile(path)) {
        diagnostics.error(new Location(display(path), 1, 1), "cannot read file: " + missing(path));
        continue;
      }
      if (!states.containsKey(path)) {
        visit(path);
      }
    }
    shareTranslationUnits();
    return new Loaded(List.copyOf(parsed.values()), rootNames, imports, Set.copyOf(incomplete),
        Map.copyOf(cIncludes), Map.copyOf(cDefines), Map.copyOf(cTypedefs), Map.copyOf(cConstants),
        Map.copyOf(skippedDefinitions));
  }

  /**
   * Files joined by {@code %#include}s of each other's headers see each other's names, as the
   * headers do in the C that includes them: Solaris' {@code mdiox.x} uses {@code meta_basic.x}'s
   * types without including its header, which {@code mdmn_commd.x} includes first.
   */
  private void shareTranslationUnits() {
    Map<String, Set<String>> units = new LinkedHashMap<>();
    headerEdges.forEach((file, headers) -> {
      Set<String> unit = units.computeIfAbsent(file, f -> new LinkedHashSet<>(List.of(f)));
      for (String header : headers) {
        Set<String> other = units.getOrDefault(header, Set.of(header));
        if (other != unit) {
          unit.addAll(other);
          other.forEach(member -> units.put(member, unit));
        }
      }
    });
    units.forEach((file, unit) -> {
      List<String> edges = new ArrayList<>(imports.getOrDefault(file, List.of()));
      unit.stream().filter(member -> !member.equals(file) && !edges.contains(member)).forEach(edges::add);
      imports.put(file, List.copyOf(edges));
    });
  }

  /**
   * The files the roots {@code #include}, and the files they import through {@code %#include}s
   * of headers made from them (glibc's {@code nis_callback.x} takes {@code nis.x}, which
   * includes {@code nis_object.x}), found by a preprocessor whose diagnostics are dropped (the
   * real run reports them).
   */
  private Set<Path> includedBy(List<Path> roots) {
    Preprocessor scout = new Preprocessor(options.includeDirs(),
        Preprocessor.predefined(options.defines(), options.undefines()), this::display, new Diagnostics());
    Deque<Path> pending = new ArrayDeque<>();
    Set<Path> seen = new HashSet<>();
    roots.forEach(root -> pending.add(root.toAbsolutePath().normalize()));
    while (!pending.isEmpty()) {
      Path file = pending.poll();
      if (!seen.add(file)) {
        continue;
      }
      try {
        for (String header : scout.run(file, SourceText.read(file)).cIncludes()) {
          Path source = HeaderSources.find(header, file, includeDirs);
          if (source != null) {
            pending.add(source.toAbsolutePath().normalize());
          }
        }
      } catch (IOException | StackOverflowError e) {
        // Reported when the file itself is read, or preprocessed (an #if nested too deep).
      }
    }
    return scout.included();
  }

  private void visit(Path path) {
    String name = display(path);
    states.put(path, State.LOADING);
    stack.add(name);
    String text = read(path, name);
    Preprocessor.Result preprocessed;
    IdlFileParser.Result result;
    try {
      preprocessed = preprocessor.run(path, text);
      result = IdlFileParser.parse(name, preprocessed, diagnostics);
    } catch (StackOverflowError e) {
      // IdlFileParser stops brackets nested too deep where they are; what else recurses as deep
      // (an #if or an expression of thousands of operators) is told here, not as a stack trace.
      diagnostics.error(new Location(name, 1, 1), "nested too deeply for idlc to read (an expression"
          + " or #if of thousands of operators or brackets, here or in a file it includes)");
      preprocessed = new Preprocessor.Result("", LineMap.identity(name), List.of(), List.of(), List.of(),
          List.of(), List.of(), false);
      result = new IdlFileParser.Result(Optional.empty(), List.of());
    }
    List<Path> headerSources = headerSources(preprocessed, path, name);
    keepPassThrough(preprocessed, name);
    List<String> edges = new ArrayList<>(preludes);
    for (Path source : headerSources) {
      // Seen as an import is, but C headers include each other freely: a cycle is no mistake.
      edges.add(display(source));
      headerEdges.computeIfAbsent(name, n -> new ArrayList<>()).add(display(source));
      if (!states.containsKey(source)) {
        visit(source);
      }
    }
    visitImports(path, name, result.imports(), edges);
    imports.put(name, List.copyOf(edges));
    result.tree().ifPresentOrElse(tree -> parsed.put(name, tree), () -> incomplete.add(name));
    if (preprocessed.includeMissing()) {
      // As cc stops at a missing header, the names it may declare are not told as unknown too.
      incomplete.add(name);
    }
    stack.remove(stack.size() - 1);
    states.put(path, State.DONE);
  }

  /** The file's text; empty, told and marked incomplete, if it cannot be read. */
  private String read(Path path, String name) {
    try {
      return SourceText.read(path);
    } catch (IOException e) {
      diagnostics.error(new Location(name, 1, 1), "cannot read file: " + e.getMessage());
      incomplete.add(name);
      return "";
    }
  }

  /**
   * The IDL sources found beside the C headers the file includes; a header without one (or one
   * already included by the preprocessor) is kept as the file's C include.
   */
  private List<Path> headerSources(Preprocessor.Result preprocessed, Path path, String name) {
    List<Path> headerSources = new ArrayList<>();
    for (String header : preprocessed.cIncludes()) {
      Path source = HeaderSources.find(header, path, includeDirs);
      if (source == null || preprocessor.included().contains(source)) {
        cIncludes.putIfAbsent(name, header);  // C only: the hint of an unknown name names it
      } else {
        headerSources.add(source);
      }
    }
    return headerSources;
  }

  /** What the preprocessor passed through for C (defines, typedefs, constants), and skipped. */
  private void keepPassThrough(Preprocessor.Result preprocessed, String name) {
    preprocessed.passThroughDefines().forEach(define -> cDefines.putIfAbsent(define.name(), define.value()));
    preprocessed.passThroughTypedefs().forEach(t -> cTypedefs.putIfAbsent(t.name(), t.declaration()));
    preprocessed.passThroughConstants().forEach(c -> cConstants.putIfAbsent(c.name(), c.declaration()));
    preprocessed.skippedDefinitions().forEach(skipped -> skippedDefinitions
        .computeIfAbsent(name, n -> new LinkedHashMap<>()).putIfAbsent(skipped.name(), skipped));
  }

  /** Visits the files {@code path} imports, adding each to {@code edges}; a cycle is an error. */
  private void visitImports(Path path, String name, List<Import> fileImports, List<String> edges) {
    for (Import element : fileImports) {
      Path target = resolve(path, element.path());
      if (target == null && element.path().endsWith(".proto")) {
        diagnostics.error(element.location(), "'" + element.path() + "' is a Protocol Buffers file:"
            + " idlc imports .idl and .x files ('import \"common.idl\";')" + (element.path()
                .startsWith("google/protobuf/") ? ", and google.protobuf's types have XDR's"
                + " words (Empty is 'void', Timestamp a 'hyper')" : "") + " (README.md, Coming from gRPC)");
        incomplete.add(name);
        continue;
      }
      if (target == null) {
        // The way out, as a missing #include gives it (the Maven plugin words it as its parameter).
        diagnostics.error(element.location(), "cannot find import '" + element.path() + "' (searched: "
            + searchPath(path).stream().map(this::display).collect(Collectors.joining(", "))
            + "; " + Preprocessor.INCLUDE_DIRECTORY_HINT + ")");
        incomplete.add(name);
        continue;
      }
      edges.add(display(target));
      State state = states.get(target);
      if (state == State.LOADING) {
        List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(display(target)), stack.size()));
        cycle.add(display(target));
        diagnostics.error(element.location(), "circular import: " + String.join(" -> ", cycle));
      } else if (state == null) {
        visit(target);
      }
    }
  }

  private List<Path> searchPath(Path importer) {
    List<Path> dirs = new ArrayList<>();
    dirs.add(importer.getParent());
    includeDirs.forEach(dir -> dirs.add(dir.toAbsolutePath().normalize()));
    // The importer's directory is often an include directory too (the Maven plugin's source root).
    return dirs.stream().distinct().toList();
  }

  private Path resolve(Path importer, String importPath) {
    for (Path dir : searchPath(importer)) {
      Path candidate = IncludePaths.candidate(dir, importPath);
      if (candidate != null && Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  private String display(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    if (absolute.equals(base)) {
      return ".";
    }
    Path shown = absolute.startsWith(base) ? base.relativize(absolute) : absolute;
    return shown.toString().replace('\\', '/');
  }
}
