package org.onyxrpc.maven;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.maven.model.Resource;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.onyxrpc.idl.source.SourceFiles;

/**
 * Compiles {@code src/main/idl/**}{@code /*.idl} into Java under
 * {@code target/generated-sources/onyx} and adds that directory to the main compile.
 *
 * <pre>{@code
 * <plugin>
 *   <groupId>org.onyxrpc</groupId>
 *   <artifactId>onyx-maven-plugin</artifactId>
 *   <version>0.1.0-SNAPSHOT</version>
 *   <executions>
 *     <execution>
 *       <goals><goal>generate</goal></goals>
 *     </execution>
 *   </executions>
 * </plugin>
 * }</pre>
 *
 * <p>Nothing is regenerated when no {@code .idl} file changed since the last successful run.
 * Compiler errors are logged as {@code file:line:col: error: message} and fail the build;
 * warnings are logged as Maven warnings.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true,
    requiresDependencyCollection = ResolutionScope.TEST)
public final class GenerateMojo extends AbstractIdlMojo {
  /** The {@code .idl} files to compile, searched recursively. */
  @Parameter(property = "onyx.sourceDirectory", defaultValue = "${project.basedir}/src/main/idl")
  private File sourceDirectory;

  /** Where the generated Java sources go. */
  @Parameter(property = "onyx.outputDirectory", defaultValue = "${project.build.directory}/generated-sources/onyx")
  private File outputDirectory;

  /**
   * Whether the jar carries the source directories' schema sources ({@code .idl}, {@code .x} and
   * {@code .rpcl} files: {@link SourceFiles#ENDINGS}), under
   * {@code META-INF/onyx/idl/} by their paths there, so that a project depending on it imports
   * them by those paths with no include directory ({@code import "com/example/shapes.idl";}).
   */
  @Parameter(property = "onyx.attachIdl", defaultValue = "true")
  private boolean attachIdl;

  @Override
  protected void generated(IdlGeneration.Outcome outcome) {
    if (attachIdl) {
      warnOfFilesLeftOutOfTheJar(outcome, getLog());
    }
  }

  /**
   * Warns of the project's files read through an include directory: the jar carries only the
   * source directories' files, so a project importing this one's IDL from the jar would not find them.
   */
  static void warnOfFilesLeftOutOfTheJar(IdlGeneration.Outcome outcome, Log log) {
    List<String> files = outcome.outsideTheSources();
    if (!files.isEmpty()) {
      log.warn("Onyx: " + String.join(", ", files) + (files.size() == 1 ? " is" : " are")
          + " read through <includeDirectories> and " + (files.size() == 1 ? "is" : "are")
          + " under no source directory, so the jar does not carry "
          + (files.size() == 1 ? "it" : "them") + " (attachIdl): a project that imports this project's IDL from"
          + " the jar cannot find " + (files.size() == 1 ? "it" : "them") + ". Move "
          + (files.size() == 1 ? "it" : "them") + " under a source directory (a .x file that an .idl there"
          + " #includes is compiled only through that .idl)");
    }
  }

  @Override
  protected void attachSources(List<Path> sources) {
    if (!attachIdl) {
      return;
    }
    for (Path directory : sources) {
      if (Files.isDirectory(directory)) {
        Resource resource = new Resource();
        resource.setDirectory(directory.toAbsolutePath().toString());
        resource.setIncludes(includes());
        resource.setTargetPath(DependencyIdl.PREFIX);
        project.addResource(resource);
      }
    }
  }

  /** The jar's resource patterns: every schema source at any depth ({@code **}{@code /*.idl}, ...). */
  static List<String> includes() {
    return SourceFiles.ENDINGS.stream().map(ending -> "**/*" + ending).toList();
  }

  @Override
  protected File sourceDirectory() {
    return sourceDirectory;
  }

  @Override
  protected String defaultSourceDirectory() {
    return "src/main/idl";
  }

  @Override
  protected File outputDirectory() {
    return outputDirectory;
  }

  @Override
  protected Set<String> compileScopes() {
    return Set.of(Artifact.SCOPE_COMPILE, Artifact.SCOPE_PROVIDED, Artifact.SCOPE_SYSTEM);
  }

  @Override
  protected void addSourceRoot(String directory) {
    project.addCompileSourceRoot(directory);
  }
}
