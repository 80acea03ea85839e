package org.onyxrpc.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.onyxrpc.idl.source.Diagnostic;
import org.onyxrpc.idl.fromjava.JavaToIdl;

/**
 * Writes {@code .idl} files from Java sources, as {@code idlc from-java} does: records, enums,
 * sealed interfaces of records, checked exceptions and service interfaces, one {@code .idl} per
 * Java package. Point a {@code generate} execution's {@code sourceDirectory} at the output to
 * get the Java stubs in the same build. A type that cannot be mapped fails the build with
 * {@code File.java:line:col: error:} and the way out.
 */
@Mojo(name = "from-java", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public final class FromJavaMojo extends AbstractMojo {
  private static final String DEFAULT_SOURCES = "src/main/java-first";

  /** The project being built. */
  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  private MavenProject project;

  /** Java files, or directories whose {@code .java} files (at any depth) are read. */
  @Parameter(property = "onyx.javaSources",
      defaultValue = "${project.basedir}/src/main/java-first")
  private List<File> javaSources;

  /** Where the {@code .idl} files are written. */
  @Parameter(property = "onyx.idlOutputDirectory",
      defaultValue = "${project.build.directory}/generated-idl")
  private File idlOutputDirectory;

  /** Skips the goal. */
  @Parameter(property = "onyx.fromJava.skip", defaultValue = "false")
  private boolean skip;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("Skipping Onyx from-java (onyx.fromJava.skip)");
      return;
    }
    // In generate's words: INFO lines as Maven's plugins write them, warnings and failures
    // beginning "Onyx:", paths relative to the project.
    Path base = project.getBasedir().toPath().toAbsolutePath().normalize();
    warnOfMissingSources(base);
    try {
      List<Path> files = javaFiles();
      if (files.isEmpty()) {
        boolean none = javaSources.stream().noneMatch(f -> Files.exists(base.resolve(f.toPath())));
        getLog().info("No Java files in " + shown(base, javaSources) + (none ? " (no such directory)" : "")
            + ": nothing to generate");
        return;
      }
      JavaToIdl.Result result = JavaToIdl.convert(base, files);
      for (Diagnostic diagnostic : result.diagnostics().sorted()) {
        if (diagnostic.severity() == Diagnostic.Severity.ERROR) {
          getLog().error(diagnostic.format());
        } else {
          getLog().warn(diagnostic.format());
        }
      }
      if (!result.succeeded()) {
        Diagnostic first = result.diagnostics().sorted().stream()
            .filter(d -> d.severity() == Diagnostic.Severity.ERROR).findFirst().orElseThrow();
        throw new MojoFailureException("Onyx: Java that cannot be mapped to IDL, first "
            + first.location() + ": " + first.message() + "; nothing was written");
      }
      IdlFilesWriter.Outcome outcome = IdlFilesWriter.write(idlOutputDirectory.toPath(),
          result.files());
      getLog().info("Generated " + count(result.files().size(), ".idl file") + " from "
          + count(files.size(), "Java file") + " into " + shown(base, List.of(idlOutputDirectory)) + " ("
          + outcome.written() + " written, " + outcome.removed() + " removed)");
    } catch (IOException e) {
      throw new MojoExecutionException("Onyx: cannot write IDL from " + shown(base, javaSources) + ": "
          + FileFailures.words(e), e);
    }
  }

  /**
   * Warns of a source named in the pom that is not there, as generate warns of its {@code
   * sourceDirectory}: before, a mistyped one was "Onyx from-java: no Java files in
   * [/absolute/path]" at INFO. The default missing is no mistake (a module inheriting the goal).
   */
  private void warnOfMissingSources(Path base) {
    Path defaultSources = base.resolve(DEFAULT_SOURCES).normalize();
    for (File source : javaSources) {
      Path path = base.resolve(source.toPath()).normalize();
      if (!Files.exists(path) && !path.equals(defaultSources)) {
        getLog().warn("Onyx: <javaSources> " + shown(base, List.of(source)) + ": no such file or directory");
      }
    }
  }

  private static String shown(Path base, List<File> files) {
    return String.join(", ", files.stream().map(f -> {
      Path absolute = base.resolve(f.toPath()).normalize();
      return (absolute.startsWith(base) ? base.relativize(absolute) : absolute).toString().replace('\\', '/');
    }).toList());
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  private List<Path> javaFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    for (File source : javaSources) {
      Path path = source.toPath();
      if (Files.isDirectory(path)) {
        try (Stream<Path> walk = Files.walk(path)) {
          walk.filter(p -> p.toString().endsWith(".java")).sorted().forEach(files::add);
        }
      } else if (Files.isRegularFile(path)) {
        files.add(path);
      }
    }
    return files;
  }
}
