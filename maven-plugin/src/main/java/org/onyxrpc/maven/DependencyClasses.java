package org.onyxrpc.maven;

import java.util.Optional;

/**
 * The classes a project's dependencies already hold, so that Java generated from an imported
 * {@code .idl} (another module's types, say) is not written a second time beside them.
 */
@FunctionalInterface
interface DependencyClasses {
  /** No dependency holds anything: every generated file is written. */
  DependencyClasses NONE = resource -> Optional.empty();

  /**
   * Which dependency holds a class.
   *
   * @param classResource the class's resource name, such as {@code com/example/shapes/Point.class}
   * @return the dependency holding it as the log names it (its file name), or empty when none does
   */
  Optional<String> holder(String classResource);
}
