package org.onyxrpc.examples.calculator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.UniversalAddress;
import org.onyxrpc.server.RpcServer;

/** A server bound with a generated service registers it under the IDL's name, unasked. */
class NamedRegistrationTest {
  @Test
  void generatedServicesRegisterUnderTheirIdlName() throws Exception {
    assertEquals("org.onyxrpc.examples.calculator.Calculator", CalculatorV1.SERVICE_NAME);
    LocalDirectory directory = new LocalDirectory(new org.onyxrpc.directory.InMemoryDirectoryStore());
    try (RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .directory(directory)
        .addService(CalculatorV1.bind(new CalculatorServer()))
        .build()
        .start()) {
      List<ServiceInstance> found = directory.lookup(CalculatorV1.SERVICE_NAME);
      assertTrue(!found.isEmpty(), "found by name: " + found);
      assertTrue(found.stream().allMatch(i -> UniversalAddress.parse(i.address()).getPort() == server.port()), found.toString());
      assertEquals(found.size(), directory.lookup(CalculatorV1.PROGRAM, CalculatorV1.VERSION).size());
    } finally {
      directory.close();
    }
    assertEquals(List.of(), Directory.none().lookup(CalculatorV1.SERVICE_NAME));
  }
}
