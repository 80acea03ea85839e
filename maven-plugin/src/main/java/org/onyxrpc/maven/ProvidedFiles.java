package org.onyxrpc.maven;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.maven.plugin.logging.Log;

/**
 * The generated files a generation leaves to the dependencies that hold their classes (an
 * imported {@code .idl} of another module), and the setting that records them, so that a
 * dependency that stops holding one regenerates.
 *
 * @param dependencies the classes the project's dependencies hold
 */
record ProvidedFiles(DependencyClasses dependencies) {
  /** The setting that records the generated files left to the dependencies. */
  private static final String SETTING = "provided";

  /** How many of the files left to dependencies the log names. */
  private static final int SHOWN = 8;

  /** The dependency that holds the class of {@code javaPath}, if one does. */
  Optional<String> holder(String javaPath) {
    return dependencies.holder(classResource(javaPath));
  }

  /**
   * {@code current} with the setting of the files a dependency holds among those the last run
   * generated (written or left to a dependency), as a run with the last run's inputs would record
   * it: the same as the last run's unless a dependency took or dropped one of those classes.
   */
  GenerationIndex withProvided(GenerationIndex current, GenerationIndex previous) {
    Set<String> generated = new TreeSet<>(previous.outputs());
    previous.setting(SETTING).ifPresent(list -> generated.addAll(List.of(list.split(","))));
    List<String> provided = generated.stream().filter(path -> holder(path).isPresent()).toList();
    return new GenerationIndex(current.settings() + setting(provided), current.inputs(), current.outputs());
  }

  /** The setting to append for {@code paths}: nothing when there are none. */
  static String setting(Collection<String> paths) {
    return paths.isEmpty() ? "" : "|" + SETTING + "=" + String.join(",", new TreeSet<>(paths));
  }

  /** The generated files left to a dependency that holds their classes: the first few by name. */
  static void log(Map<String, String> provided, Log log) {
    // The first few, so that a large imported .x file makes one readable line.
    log.info("Not generating " + Shown.count(provided.size(), "Java file")
        + " whose class a dependency already holds: "
        + String.join(", ", provided.entrySet().stream().limit(SHOWN)
            .map(e -> className(e.getKey()) + " (" + e.getValue() + ")").toList())
        + (provided.size() > SHOWN ? " and " + (provided.size() - SHOWN) + " more" : ""));
  }

  /** {@code com/example/Point.java} → {@code com/example/Point.class}. */
  private static String classResource(String javaPath) {
    return javaPath.substring(0, javaPath.length() - ".java".length()) + ".class";
  }

  /** {@code com/example/Point.java} → {@code com.example.Point}. */
  private static String className(String javaPath) {
    return javaPath.substring(0, javaPath.length() - ".java".length()).replace('/', '.');
  }
}
