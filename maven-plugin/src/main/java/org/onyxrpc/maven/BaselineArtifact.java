package org.onyxrpc.maven;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.maven.plugin.MojoExecutionException;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;
import org.onyxrpc.idl.source.SourceFiles;

/**
 * A released schema taken from an artifact: the schema sources ({@code .idl}, {@code .x} and
 * {@code .rpcl} entries) of a jar
 * (for example the main jar of the release, with {@code src/main/idl} among its resources),
 * unpacked into a directory the checker reads like a baseline directory.
 */
final class BaselineArtifact {
  private BaselineArtifact() {}

  /**
   * Resolves {@code coordinates} ({@code groupId:artifactId:version}, or with
   * {@code :extension:classifier} or {@code :extension}) and unpacks its schema files into a new
   * directory under {@code work}.
   */
  static Path unpack(String coordinates, RepositorySystem system, RepositorySystemSession session,
      List<RemoteRepository> repositories, Path work) throws MojoExecutionException {
    DefaultArtifact artifact;
    try {
      artifact = new DefaultArtifact(coordinates.split(":").length == 3
          ? coordinates.replaceFirst("^([^:]+:[^:]+):", "$1:jar:") : coordinates);
    } catch (IllegalArgumentException e) {
      throw new MojoExecutionException("Onyx: baselineArtifact '" + coordinates + "' is not"
          + " groupId:artifactId:version[:extension[:classifier]]");
    }
    Path jar;
    try {
      jar = system.resolveArtifact(session, new ArtifactRequest(artifact, repositories, null))
          .getArtifact().getFile().toPath();
    } catch (ArtifactResolutionException e) {
      throw new MojoExecutionException("Onyx: cannot resolve the baseline " + coordinates + ": "
          + e.getMessage(), e);
    }
    Path target = work.resolve(artifact.getArtifactId() + "-" + artifact.getVersion()).normalize();
    extract(jar, target, coordinates);
    return target;
  }

  /**
   * Unpacks the schema sources of {@code jar} ({@link SourceFiles#isSource}) into {@code target},
   * which is emptied first; {@code coordinates} names the artifact in failures.
   */
  static void extract(Path jar, Path target, String coordinates) throws MojoExecutionException {
    try {
      if (Files.exists(target)) {
        try (Stream<Path> walk = Files.walk(target)) {
          for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(path);
          }
        }
      }
      Files.createDirectories(target);
      int count = 0;
      try (ZipFile zip = new ZipFile(jar.toFile())) {
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
          ZipEntry entry = entries.nextElement();
          String name = entry.getName();
          if (entry.isDirectory() || !SourceFiles.isSource(name)) {
            continue;
          }
          Path out = target.resolve(name).normalize();
          if (!out.startsWith(target)) {
            throw new MojoExecutionException("Onyx: the baseline " + coordinates
                + " has an entry outside its root: " + name);
          }
          Files.createDirectories(out.getParent());
          try (InputStream in = zip.getInputStream(entry)) {
            Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
          }
          count++;
        }
      }
      if (count == 0) {
        throw new MojoExecutionException("Onyx: the baseline " + coordinates + " holds no schema"
            + " files (" + String.join(", ", SourceFiles.ENDINGS) + "; add src/main/idl to the"
            + " released jar's resources)");
      }
    } catch (IOException e) {
      throw new MojoExecutionException("Onyx: cannot unpack the baseline " + coordinates + ": "
          + FileFailures.words(e), e);
    }
  }
}
