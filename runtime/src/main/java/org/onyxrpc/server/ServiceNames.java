package org.onyxrpc.server;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.onyxrpc.directory.ServiceInstance;

/** The names a server registers its programs under in the directory, as {@link RpcServerBuilder} settles them. */
final class ServiceNames {
  private ServiceNames() {}

  /** {@code name}, if it is 1..{@value ServiceInstance#MAX_NAME} bytes of UTF-8. */
  static String check(String name) {
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes == 0 || bytes > ServiceInstance.MAX_NAME) {
      throw new IllegalArgumentException("service name must be 1.." + ServiceInstance.MAX_NAME
          + " bytes of UTF-8: " + name);
    }
    return name;
  }

  /**
   * Sets {@code program}'s name in {@code set}, once: a second, different name for the same
   * program would have replaced the first without a word, and clients looking the first up would
   * find nobody.
   */
  static void set(Map<Integer, String> set, int program, String name) {
    String earlier = set.putIfAbsent(program, check(name));
    if (earlier != null && !earlier.equals(name)) {
      throw new IllegalArgumentException("serviceName(0x" + Integer.toHexString(program) + ", \"" + name
          + "\"): program 0x" + Integer.toHexString(program) + " is already named \"" + earlier
          + "\", and a program is registered under one name: keep one serviceName call per program");
    }
  }

  /** Fails unless each name set with {@code serviceName} is for a program one of {@code services} serves. */
  static void requireServed(List<ServiceDefinition> services, Map<Integer, String> set) {
    for (Map.Entry<Integer, String> named : set.entrySet()) {
      // Else the name is never registered, and clients looking it up find nobody, without a word.
      if (services.stream().noneMatch(s -> s.programVersion().program() == named.getKey())) {
        throw new IllegalStateException("serviceName(0x" + Integer.toHexString(named.getKey()) + ", \""
            + named.getValue() + "\") names a program that none of this server's services serves:"
            + " add that program's service, or leave the name out");
      }
    }
  }

  /** Names by program: those the services carry, then those {@code set} with {@code serviceName}. */
  static Map<Integer, String> merged(List<ServiceDefinition> services, Map<Integer, String> set) {
    Map<Integer, String> names = new HashMap<>();
    for (ServiceDefinition service : services) {
      if (service.name() != null) {
        names.put(service.programVersion().program(), check(service.name()));
      }
    }
    names.putAll(set);
    return names;
  }
}
