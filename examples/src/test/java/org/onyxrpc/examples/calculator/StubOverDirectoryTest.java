package org.onyxrpc.examples.calculator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcCaller;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.remote.DirectoryClient;
import org.onyxrpc.server.RpcServer;

/**
 * A generated stub over a {@link DirectoryClient} behaves as one over an {@link RpcClient}:
 * results, and declared exceptions thrown as themselves (before: a directory's callers had only
 * raw calls, which return the generated reply wrapper).
 */
class StubOverDirectoryTest {
  @Test
  void aStubBehavesTheSameOverOneConnectionAndOverADirectory() throws Exception {
    try (LocalDirectory directory = new LocalDirectory(new InMemoryDirectoryStore());
        RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
            .directory(directory)
            .addService(CalculatorV1.bind(new CalculatorServer()))
            .build().start();
        RpcClient one = RpcClient.builder().address("127.0.0.1", server.port()).build();
        DirectoryClient many = DirectoryClient.builder().directory(directory)
            .service(CalculatorV1.SERVICE_NAME).build()) {
      for (RpcCaller caller : new RpcCaller[] {one, many}) {
        CalculatorV1.Calculator calculator = CalculatorV1.newClient(caller);
        assertEquals(42, calculator.add(40, 2));
        assertEquals(Parity.ODD, calculator.parity(7));
        assertThrows(DivideByZero.class, () -> calculator.divide(1, 0));

        CalculatorV1.AsyncCalculator async = CalculatorV1.newAsyncClient(caller);
        assertEquals(5, async.divide(10, 2).get(1, TimeUnit.MINUTES));
        ExecutionException e = assertThrows(ExecutionException.class,
            () -> async.divide(1, 0).get(1, TimeUnit.MINUTES));
        assertInstanceOf(DivideByZero.class, e.getCause());
      }
    }
  }
}
