package org.onyxrpc.health;

import org.onyxrpc.client.RpcClient;

/**
 * Asks a server how it is.
 *
 * <pre>{@code
 * try (RpcClient rpc = RpcClient.builder().address("localhost", 4711).build()) {
 *   if (HealthClient.check(rpc, "org.onyxrpc.examples.calculator.Calculator") == ServingStatus.SERVING) { … }
 * }
 * }</pre>
 */
public final class HealthClient {
  private HealthClient() {}

  /**
   * The status of {@code service} ("" for the whole server) on the server {@code rpc} talks to.
   *
   * @param rpc a client of the server asked
   * @param service a service name, or "" for the whole server
   * @return the status the server reports; UNKNOWN for a service it does not know
   * @throws org.onyxrpc.rpc.RpcException PROG_UNAVAIL when the server has no health service, or
   *     any failure of the call
   */
  public static ServingStatus check(RpcClient rpc, String service) {
    return rpc.call(Health.CHECK, service);
  }
}
