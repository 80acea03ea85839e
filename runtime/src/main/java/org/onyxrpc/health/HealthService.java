package org.onyxrpc.health;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.onyxrpc.server.ServiceDefinition;

/**
 * The statuses a server's owner sets, served as the {@link Health} program. The whole server
 * ({@code ""}) is {@link ServingStatus#SERVING} from the start; a name nobody set is
 * {@link ServingStatus#UNKNOWN}.
 *
 * <pre>{@code
 * HealthService health = new HealthService();
 * RpcServer server = RpcServer.builder().port(4711)
 *     .addService(CalculatorV1.bind(impl))
 *     .addService(health.definition())
 *     .build().start();
 * health.set("org.onyxrpc.examples.calculator.Calculator", ServingStatus.SERVING);
 * ...
 * health.set("", ServingStatus.NOT_SERVING);   // draining before shutdown
 * }</pre>
 *
 * <p>Thread-safe: {@link #set} may be called from any thread while checks are served (one map
 * owns the statuses; a check reads one entry).
 */
public final class HealthService {
  /** The name that stands for the whole server. */
  public static final String SERVER = "";

  private final Map<String, ServingStatus> statuses = new ConcurrentHashMap<>();

  /** A health service with the whole server SERVING. */
  public HealthService() {
    statuses.put(SERVER, ServingStatus.SERVING);
  }

  /**
   * Sets the status of {@code service} ({@link #SERVER} for the whole server).
   *
   * @param service a service name, or {@link #SERVER}; not null
   * @param status the status to report from now on
   */
  public void set(String service, ServingStatus status) {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(status, "status");
    if (service.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > Health.MAX_NAME) {
      throw new IllegalArgumentException("service names are at most 255 bytes of UTF-8: " + service);
    }
    if (status == ServingStatus.UNKNOWN) {
      statuses.remove(service);
    } else {
      statuses.put(service, status);
    }
  }

  /**
   * The status {@link Health#CHECK} answers for {@code service}.
   *
   * @param service a service name, or {@link #SERVER}
   * @return the status set, or UNKNOWN if none was
   */
  public ServingStatus check(String service) {
    return statuses.getOrDefault(service, ServingStatus.UNKNOWN);
  }

  /**
   * The program to add to a server: {@code RpcServer.builder().addService(health.definition())}.
   *
   * @return the health program's definition, answering from this service's statuses
   */
  public ServiceDefinition definition() {
    return ServiceDefinition.builder(Health.PROGRAM, Health.VERSION)
        .name("org.onyxrpc.health.Health")
        .procedure(Health.CHECK, (service, ctx) -> check(service))
        .build();
  }
}
