package org.onyxrpc.maven;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Compiles {@code src/test/idl/**}{@code /*.idl} into Java under
 * {@code target/generated-test-sources/onyx} and adds that directory to the test compile.
 * Otherwise the same as {@link GenerateMojo}.
 */
@Mojo(name = "generate-test", defaultPhase = LifecyclePhase.GENERATE_TEST_SOURCES, threadSafe = true,
    requiresDependencyCollection = ResolutionScope.TEST)
public final class GenerateTestMojo extends AbstractIdlMojo {
  /** The test {@code .idl} files to compile, searched recursively. */
  @Parameter(property = "onyx.testSourceDirectory", defaultValue = "${project.basedir}/src/test/idl")
  private File sourceDirectory;

  /** Where the generated Java test sources go. */
  @Parameter(property = "onyx.testOutputDirectory",
      defaultValue = "${project.build.directory}/generated-test-sources/onyx")
  private File outputDirectory;

  @Override
  protected File sourceDirectory() {
    return sourceDirectory;
  }

  @Override
  protected String defaultSourceDirectory() {
    return "src/test/idl";
  }

  @Override
  protected File outputDirectory() {
    return outputDirectory;
  }

  @Override
  protected Set<String> compileScopes() {
    return Set.of(Artifact.SCOPE_COMPILE, Artifact.SCOPE_PROVIDED, Artifact.SCOPE_SYSTEM,
        Artifact.SCOPE_RUNTIME, Artifact.SCOPE_TEST);
  }

  @Override
  protected List<Path> ownClasses() {
    return List.of(Path.of(project.getBuild().getOutputDirectory()));
  }

  @Override
  protected void addSourceRoot(String directory) {
    project.addTestCompileSourceRoot(directory);
  }
}
