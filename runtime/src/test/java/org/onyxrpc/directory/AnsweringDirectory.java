package org.onyxrpc.directory;

import java.time.Duration;
import java.util.List;

/**
 * A directory that answers every look-up with {@code entries}, whatever is asked, and takes
 * every registration: a lying or foreign directory, for tests of what its clients make of it.
 */
public record AnsweringDirectory(List<ServiceInstance> entries) implements Directory {
  @Override
  public Duration register(ServiceInstance instance, Duration lease) {
    return lease;
  }

  @Override
  public boolean unregister(ServiceInstance instance) {
    return false;
  }

  @Override
  public List<ServiceInstance> lookup(String name) {
    return entries;
  }

  @Override
  public List<ServiceInstance> lookup(int program, int version) {
    return entries;
  }

  @Override
  public String toString() {
    return "the lying directory";
  }
}
