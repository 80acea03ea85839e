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
    Path base = project.getBasedir().toPath();
    try {
      List<Path> files = javaFiles();
      if (files.isEmpty()) {
        getLog().info("Onyx from-java: no Java files in " + javaSources);
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
        throw new MojoFailureException("Onyx from-java: Java that cannot be mapped to IDL, first "
            + first.location() + ": " + first.message() + "; nothing was written");
      }
      IdlFilesWriter.Outcome outcome = IdlFilesWriter.write(idlOutputDirectory.toPath(),
          result.files());
      getLog().info("Onyx from-java: " + result.files().size() + " .idl file"
          + (result.files().size() == 1 ? "" : "s") + " from " + files.size() + " Java files into "
          + base.relativize(idlOutputDirectory.toPath()) + " (" + outcome.written() + " written, "
          + outcome.removed() + " removed)");
    } catch (IOException e) {
      throw new MojoExecutionException("Onyx from-java: " + FileFailures.words(e), e);
    }
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
