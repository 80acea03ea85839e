package org.onyxrpc.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.inject.Inject;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.onyxrpc.idl.source.CompilerOptions;
import org.onyxrpc.idl.source.Diagnostic;
import org.onyxrpc.idl.compat.CompatReport;
import org.onyxrpc.idl.compat.CompatibilityChecker;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.repository.RemoteRepository;
import org.onyxrpc.idl.compat.Finding;

/**
 * Fails the build when the {@code .idl} files under {@code sourceDirectory} break peers built
 * from the {@code baseline} (a directory) or {@code baselineArtifact} (a released jar): the same
 * check as {@code idlc check-compat BASELINE SOURCES}.
 * Wire breaks fail the build; source breaks (renames, a new Java package) are warnings, or fail
 * it too with {@code strict}.
 */
@Mojo(name = "check-compat", defaultPhase = LifecyclePhase.VALIDATE, threadSafe = true)
public final class CheckCompatMojo extends AbstractMojo {
  /** The project being built. */
  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  private MavenProject project;

  /** The build: positions name files relative to the directory it was started in. */
  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  private MavenSession session;

  /**
   * The released version of the schema: a directory laid out like {@code sourceDirectory} (for
   * example the {@code src/main/idl} of the last release, kept in the repository or extracted
   * from a tag), or a single file.
   */
  @Parameter(property = "onyx.baseline")
  private File baseline;

  /**
   * Or the released version as an artifact, {@code groupId:artifactId:version} (a jar, by
   * default, whose {@code .idl} and {@code .x} entries are the schema: add {@code src/main/idl}
   * to the resources of the release) or {@code groupId:artifactId:version:extension:classifier}.
   */
  @Parameter(property = "onyx.baselineArtifact")
  private String baselineArtifact;

  /** Where a baseline artifact is unpacked. */
  @Parameter(defaultValue = "${project.build.directory}/onyx-baseline", readonly = true)
  private File baselineWorkDirectory;

  /** Resolves {@code baselineArtifact}; injected by the container, no Mojo parameter. */
  private final RepositorySystem repositorySystem;

  @Parameter(defaultValue = "${repositorySystemSession}", readonly = true, required = true)
  private RepositorySystemSession repositorySession;

  @Parameter(defaultValue = "${project.remoteProjectRepositories}", readonly = true)
  private List<RemoteRepository> remoteRepositories;

  /** The current {@code .idl} files. */
  @Parameter(property = "onyx.sourceDirectory", defaultValue = "${project.basedir}/src/main/idl")
  private File sourceDirectory;

  /** Further directories where {@code import "x.idl";} is looked up, for both versions. */
  @Parameter(property = "onyx.includeDirectories")
  private List<File> includeDirectories;

  /** Also fail on changes that break only Java source: renames and Java package changes. */
  @Parameter(property = "onyx.compat.strict", defaultValue = "false")
  private boolean strict;

  /** Also log the compatible changes. */
  @Parameter(property = "onyx.compat.verbose", defaultValue = "false")
  private boolean verbose;

  /** Skips the check. */
  @Parameter(property = "onyx.compat.skip", defaultValue = "false")
  private boolean skip;

  /**
   * Made by Maven, which injects its repository system (JSR-330 constructor injection: the
   * Maven 3.9 plugin API's replacement for the deprecated {@code @Component}).
   *
   * @param repositorySystem resolves {@code baselineArtifact}
   */
  @Inject
  public CheckCompatMojo(RepositorySystem repositorySystem) {
    this.repositorySystem = repositorySystem;
  }

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("Skipping the Onyx compatibility check (onyx.compat.skip)");
      return;
    }
    Path base = project.getBasedir().toPath();
    Path old = resolveBaseline(base);
    CompatReport report = compare(base, old);
    log(report);
    List<Finding> breaking = report.findings().stream()
        .filter(f -> f.kind() == Finding.Kind.WIRE || strict && f.kind() == Finding.Kind.SOURCE)
        .toList();
    if (!breaking.isEmpty()) {
      if (!report.of(Finding.Kind.WIRE).isEmpty()) {
        getLog().error(CompatReport.WAY_OUT); // the findings say what breaks, not what to do instead
      }
      throw new MojoFailureException("Onyx: " + breaking.size() + " breaking change"
          + (breaking.size() == 1 ? "" : "s") + " against the baseline "
          + base.relativize(old) + ", first " + breaking.get(0).format(strict));
    }
    getLog().info("Onyx: compatible with the baseline " + base.relativize(old)
        + " (" + report.of(Finding.Kind.SOURCE).size() + " source warnings, "
        + report.of(Finding.Kind.SAFE).size() + " compatible changes)");
  }

  /** The baseline directory or file: {@code baseline}, or {@code baselineArtifact} unpacked. */
  private Path resolveBaseline(Path base) throws MojoExecutionException {
    if ((baseline == null) == (baselineArtifact == null)) {
      throw new MojoExecutionException("Onyx: check-compat needs exactly one of baseline (a"
          + " directory or file) and baselineArtifact (groupId:artifactId:version)");
    }
    Path old = baselineArtifact == null ? baseline.toPath()
        : BaselineArtifact.unpack(baselineArtifact.strip(), repositorySystem, repositorySession,
            remoteRepositories == null ? List.of() : remoteRepositories,
            baselineWorkDirectory.toPath());
    if (!old.toFile().exists()) {
      throw new MojoExecutionException("Onyx: baseline " + base.relativize(old) + " does not exist");
    }
    return old;
  }

  /** Compiles both versions and compares them; logs the compiler's errors. */
  private CompatReport compare(Path base, Path old)
      throws MojoExecutionException, MojoFailureException {
    List<Path> includes = includeDirectories == null ? List.of()
        : includeDirectories.stream().map(File::toPath).toList();
    IdlSourceFiles.warnOfDirectoriesThatAreNone(base, "includeDirectory", includes, getLog());
    CompatibilityChecker.Result result;
    try {
      result = CompatibilityChecker.check(
          ReportedFrom.directory(session.getExecutionRootDirectory(), base.toFile()),
          old, sourceDirectory.toPath(), CompilerOptions.includes(includes));
    } catch (IOException e) {
      throw new MojoExecutionException("Onyx: cannot read the .idl files: " + FileFailures.words(e), e);
    }
    for (Diagnostic diagnostic : result.diagnostics().sorted()) {
      // As generate words them: a missing file is fixed in <includeDirectories>, not with -I.
      getLog().error(GenerationDiagnostics.inPluginTerms(diagnostic).format());
    }
    if (result.report().isEmpty()) {
      throw new MojoFailureException("Onyx: cannot compare with the baseline "
          + base.relativize(old) + ": fix the errors above first");
    }
    return result.report().get();
  }

  /** Wire breaks as errors, source breaks as warnings (errors when strict), safe ones if verbose. */
  private void log(CompatReport report) {
    for (Finding finding : report.findings()) {
      String line = finding.format(strict);
      switch (finding.kind()) {
        case WIRE -> getLog().error(line);
        case SOURCE -> {
          if (strict) {
            getLog().error(line);
          } else {
            getLog().warn(line);
          }
        }
        case SAFE -> {
          if (verbose) {
            getLog().info(line);
          }
        }
        default -> throw new AssertionError(finding.kind());
      }
    }
  }
}
