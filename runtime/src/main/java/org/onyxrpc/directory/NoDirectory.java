package org.onyxrpc.directory;

import java.time.Duration;
import java.util.List;

/** {@link Directory#none()}: keeps nothing, finds nothing. */
enum NoDirectory implements Directory {
  INSTANCE;

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
    return List.of();
  }

  @Override
  public List<ServiceInstance> lookup(int program, int version) {
    return List.of();
  }

  @Override
  public String toString() {
    return "no directory";
  }
}
