package org.onyxrpc.interop;

import java.io.IOException;
import java.net.InetAddress;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.transport.Transport;

/** The Onyx server that a test class's C clients call, and its end with theirs. */
final class OnyxServers {
  private OnyxServers() {}

  /** {@code service} on 127.0.0.1 over TCP and UDP, at one free port, started. */
  static RpcServer onLoopback(ServiceDefinition service) throws IOException {
    return RpcServer.builder()
        .bind(InetAddress.getLoopbackAddress(), 0)
        .transports(Transport.TCP, Transport.UDP)
        .addService(service)
        .build()
        .start();
  }

  /** Closes {@code server} and stops {@code c}'s processes; either may be null (set-up failed). */
  static void stop(RpcServer server, NativeInterop c) throws InterruptedException {
    if (server != null) {
      server.close();
    }
    if (c != null) {
      c.stopProcesses();
    }
  }
}
