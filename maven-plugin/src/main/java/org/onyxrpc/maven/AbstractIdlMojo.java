package org.onyxrpc.maven;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.onyxrpc.idl.IdlCompiler;

/**
 * What {@code generate} and {@code generate-test} share: the include path, skipping, and the
 * hand-off to {@link IdlGeneration}. Subclasses name the source and output directories and the
 * compile source root they feed.
 *
 * <p>Thread-safe for parallel builds ({@code mvn -T}): no static mutable state, and each module
 * and execution writes only its own output directory and index file.
 */
abstract class AbstractIdlMojo extends AbstractMojo {
  private static final String RUNTIME_GROUP = "org.onyxrpc";
  private static final String RUNTIME_ARTIFACT = "onyx-runtime";

  /** The project being built. */
  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  protected MavenProject project;

  /** The build: diagnostics name files relative to the directory it was started in. */
  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  protected MavenSession session;

  /** This execution: its id names the index file, so two executions never share one. */
  @Parameter(defaultValue = "${mojoExecution}", readonly = true, required = true)
  protected MojoExecution mojoExecution;

  /**
   * More directories of {@code .idl} and {@code .x} files, compiled in the same run as the source
   * directory's and searched after it for imports:
   * {@code <sourceDirectories><sourceDirectory>src/extra/idl</sourceDirectory></sourceDirectories>}.
   */
  @Parameter
  protected List<File> sourceDirectories;

  /**
   * Further directories where {@code import "x.idl";} is looked up, after the importing file's
   * own directory and before the source directory. Imported files are generated too.
   */
  @Parameter(property = "onyx.includeDirectories")
  protected List<File> includeDirectories;

  /**
   * C preprocessor macros defined before each file is read, as {@code idlc -D NAME=VALUE}:
   * {@code <defines><NFS_VERSION>4</NFS_VERSION><WITH_LOCKS/></defines>}; an empty value
   * defines the macro as {@code 1}. {@code RPC_HDR}, {@code RPC_XDR}, {@code RPC_CLNT} and
   * {@code RPC_SVC} are always defined, as rpcgen defines them.
   */
  @Parameter
  protected Map<String, String> defines;

  /** Predefined macros to remove, as {@code idlc -U NAME}: {@code <undefines><undefine>RPC_CLNT</undefine></undefines>}. */
  @Parameter
  protected List<String> undefines;

  /**
   * Files read before each input file, whose names every input file then sees, as {@code idlc
   * --prelude}: declarations a {@code .x} file takes from C headers. Their Java is generated too.
   */
  @Parameter
  protected List<File> preludes;

  /** Where the index of the last generation is kept (one file per execution). */
  @Parameter(defaultValue = "${project.build.directory}/onyx-maven-plugin", readonly = true)
  protected File indexDirectory;

  /** The plugin's version: a new version (or, for snapshots, a rebuilt compiler) regenerates everything. */
  @Parameter(defaultValue = "${plugin.version}", readonly = true)
  protected String pluginVersion;

  /** Skips generation (the output directory is still added to the compile). */
  @Parameter(property = "onyx.skip", defaultValue = "false")
  protected boolean skip;

  /**
   * The directory holding the {@code .idl} files to compile.
   *
   * @return the goal's {@code sourceDirectory} parameter
   */
  protected abstract File sourceDirectory();

  /**
   * Where {@code sourceDirectory} is when the pom names none.
   *
   * @return the default, relative to the project's directory, such as {@code src/main/idl}
   */
  protected abstract String defaultSourceDirectory();

  /**
   * Warns when the goal's own {@code sourceDirectory}, named in the pom or with {@code
   * -Donyx.sourceDirectory}, is not a directory: a mistyped one was only the INFO line "No .idl
   * or .x files in src/main/idls (no such directory)", lost above javac's errors about the
   * classes it did not generate. The default one missing stays that INFO line: a module that
   * inherits the plugin and has no IDL of its own is no mistake.
   */
  static void warnOfMissingSourceDirectory(Path base, Path sourceDirectory, String defaultDirectory, Log log) {
    Path root = base.toAbsolutePath().normalize();
    if (!root.resolve(sourceDirectory).normalize().equals(root.resolve(defaultDirectory).normalize())) {
      IdlSourceFiles.warnOfDirectoriesThatAreNone(root, "sourceDirectory", List.of(sourceDirectory), log);
    }
  }

  /**
   * The root the Java sources are written under.
   *
   * @return the goal's {@code outputDirectory} parameter
   */
  protected abstract File outputDirectory();

  /**
   * Adds the output directory to the main or the test compile.
   *
   * @param directory the absolute path of {@link #outputDirectory()}
   */
  protected abstract void addSourceRoot(String directory);

  /**
   * The dependency scopes the compile of the generated sources sees.
   *
   * @return Maven scope names, such as {@code compile} and {@code provided}
   */
  protected abstract Set<String> compileScopes();


  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("Skipping Onyx code generation (onyx.skip)");
    } else {
      // The further roots named in the pom: one mistyped was silent, its files never compiled.
      IdlSourceFiles.warnOfDirectoriesThatAreNone(project.getBasedir().toPath(), "sourceDirectory",
          sourceDirectories == null ? List.of() : sourceDirectories.stream().map(File::toPath).toList(), getLog());
      warnOfMissingSourceDirectory(project.getBasedir().toPath(), sourceDirectory().toPath(),
          defaultSourceDirectory(), getLog());
      String id = mojoExecution.getExecutionId().replaceAll("[^A-Za-z0-9._-]", "_");
      List<Path> classpath = classpath();
      List<Path> dependencyImports = dependencyImports(classpath,
          indexDirectory.toPath().resolve(mojoExecution.getGoal() + "-" + id + "-imports"));
      IdlGeneration.Outcome outcome = new IdlGeneration(
          project.getBasedir().toPath(),
          sources(),
          includeDirectories == null ? List.of() : includeDirectories.stream().map(File::toPath).toList(),
          outputDirectory().toPath(),
          indexDirectory.toPath().resolve(mojoExecution.getGoal() + "-" + id + ".index"),
          generatorVersion(),
          macros(),
          undefines == null ? List.of() : undefines,
          preludes == null ? List.of() : preludes.stream().map(File::toPath).toList(),
          ReportedFrom.directory(session.getExecutionRootDirectory(), project.getBasedir()),
          new ClasspathClasses(classpath),
          dependencyImports)
          .run(getLog());
      if (outcome.inputs() > 0) {
        checkRuntimeDependency();
      }
      generated(outcome);
    }
    attachSources(sources());
    // Added even when nothing was regenerated: each build's compile needs the root again.
    if (outputDirectory().isDirectory()) {
      addSourceRoot(outputDirectory().getAbsolutePath());
    }
  }

  /**
   * Without {@code onyx-runtime} the generated Java fails to compile with a few hundred errors
   * about missing packages; one line saying what is missing is better.
   */
  private void checkRuntimeDependency() throws MojoFailureException {
    Optional<Artifact> runtime = project.getArtifacts().stream()
        .filter(a -> RUNTIME_GROUP.equals(a.getGroupId()) && RUNTIME_ARTIFACT.equals(a.getArtifactId()))
        .findFirst();
    String wanted = RUNTIME_GROUP + ":" + RUNTIME_ARTIFACT + ":" + pluginVersion;
    if (runtime.isEmpty()) {
      throw new MojoFailureException("Onyx: the Java generated into " + shown(outputDirectory()) + " needs "
          + wanted + ", which is not among this project's dependencies: add it to <dependencies>");
    }
    Artifact found = runtime.get();
    String scope = found.getScope() == null ? Artifact.SCOPE_COMPILE : found.getScope();
    if (!compileScopes().contains(scope)) {
      throw new MojoFailureException("Onyx: the Java generated into " + shown(outputDirectory()) + " needs "
          + wanted + " when it is compiled, but this project has it in scope " + scope
          + ", which that compile does not see: use scope compile");
    }
    if (pluginVersion != null && !pluginVersion.equals(found.getVersion())) {
      getLog().warn("Onyx: the Java generated by onyx-maven-plugin " + pluginVersion + " is written for onyx-runtime "
          + pluginVersion + ", and this project uses onyx-runtime " + found.getVersion()
          + ": keep both at one version (import org.onyxrpc:onyx-bom)");
    }
  }

  private String shown(File directory) {
    Path base = project.getBasedir().toPath().toAbsolutePath().normalize();
    Path path = directory.toPath().toAbsolutePath().normalize();
    return (path.startsWith(base) ? base.relativize(path) : path).toString().replace('\\', '/');
  }

  /**
   * Where the generated Java's compile finds classes that are already there: this project's own
   * classes for the test compile, then the dependencies it sees, in the project's order. The
   * goals only collect dependencies, never resolve them: {@code mvn generate-sources} in a
   * reactor (as IDEs run it) comes before a sibling module is compiled or packaged, and resolving
   * would fail there. So a sibling is looked for in its own output directory and jar, any other
   * dependency in the local repository; what is not there yet holds nothing.
   */
  private List<Path> classpath() {
    List<Path> classpath = new ArrayList<>(ownClasses());
    for (Artifact artifact : project.getArtifacts()) {
      if (!compileScopes().contains(artifact.getScope() == null ? Artifact.SCOPE_COMPILE : artifact.getScope())) {
        continue;
      }
      Optional<MavenProject> sibling = session.getProjects().stream()
          .filter(p -> p.getGroupId().equals(artifact.getGroupId()) && p.getArtifactId().equals(artifact.getArtifactId())
              && p.getVersion().equals(artifact.getVersion()))
          .findFirst();
      if (sibling.isPresent()) {
        classpath.add(Path.of(sibling.get().getBuild().getOutputDirectory()));
      } else if (artifact.getFile() != null) {
        classpath.add(artifact.getFile().toPath());
      } else if (session.getLocalRepository() != null) {
        classpath.add(Path.of(session.getLocalRepository().getBasedir(), session.getLocalRepository().pathOf(artifact)));
      }
    }
    return classpath;
  }

  private List<Path> dependencyImports(List<Path> classpath, Path into) throws MojoExecutionException {
    try {
      return DependencyIdl.copy(classpath, into, getLog());
    } catch (IOException e) {
      throw new MojoExecutionException("Onyx: cannot copy the IDL files of the dependencies into " + into + ": "
          + FileFailures.words(e), e);
    }
  }

  /**
   * Puts the source directories' IDL files into what the build packages, for other projects to
   * import ({@link DependencyIdl}).
   *
   * @param sources the source directories, the goal's {@code sourceDirectory} first
   */
  protected void attachSources(List<Path> sources) {}

  /**
   * Told what a run of the generation did, before {@link #attachSources}.
   *
   * @param outcome what it did
   */
  protected void generated(IdlGeneration.Outcome outcome) {}

  /**
   * This project's classes that the compile of the generated sources sees.
   *
   * @return none for the main compile; for the test compile, the main classes
   */
  protected List<Path> ownClasses() {
    return List.of();
  }

  private List<Path> sources() {
    List<Path> sources = new ArrayList<>();
    sources.add(sourceDirectory().toPath());
    if (sourceDirectories != null) {
      sourceDirectories.stream().map(File::toPath).forEach(sources::add);
    }
    return sources;
  }

  private Map<String, String> macros() {
    Map<String, String> macros = new LinkedHashMap<>();
    if (defines != null) {
      defines.forEach((name, value) -> macros.put(name, value == null || value.isBlank() ? "1" : value.strip()));
    }
    return macros;
  }

  /**
   * The plugin's version; for a snapshot, whose compiler changes under one version number, also
   * a hash of the compiler's jar, so a rebuilt compiler regenerates.
   */
  private String generatorVersion() {
    String version = pluginVersion == null ? "unknown" : pluginVersion;
    if (!version.endsWith("-SNAPSHOT")) {
      return version;
    }
    try {
      Path jar = Path.of(IdlCompiler.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return Files.isRegularFile(jar) ? version + "+" + GenerationIndex.hash(jar).substring(0, 16) : version;
    } catch (IOException | URISyntaxException | RuntimeException e) {
      return version;
    }
  }
}
