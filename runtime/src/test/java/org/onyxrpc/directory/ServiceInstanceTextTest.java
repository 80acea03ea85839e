package org.onyxrpc.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.onyxrpc.rpc.RpcException;

/**
 * Program numbers are unsigned 32-bit (0x40000000..0x7fffffff is the transient range, and
 * 0x80000000..0xffffffff is reserved), so a message never shows one as negative. Before, a
 * refused registration said "… ServiceInstance[name=, program=-1073741823, …]".
 */
class ServiceInstanceTextTest {
  @Test
  void aRefusalShowsTheProgramAsRpcgenSourcesWriteIt() {
    try (LocalDirectory directory = new LocalDirectory(new InMemoryDirectoryStore(1))) {
      directory.table().set(new ServiceInstance("", 100003, 3, "tcp", "0.0.0.0.8.1", "superuser")); // full
      RpcException e = assertThrows(RpcException.class,
          () -> directory.register(new ServiceInstance("", 0xC0000001, 0xFFFFFFFE, "tcp", "127.0.0.1.4.1", ""),
              Duration.ofSeconds(30)));
      assertEquals("directory refused program 0xc0000001 version 4294967294 over tcp at 127.0.0.1.4.1:"
          + " another owner's entry, or the directory is full", e.getMessage());
    }
  }

  @Test
  void aNamedEntryReadsAsALine() {
    assertEquals("com.example.Calc, program 0x80000000 version 1 over udp6 at ::1.18.103",
        new ServiceInstance("com.example.Calc", 0x80000000, 1, "udp6", "::1.18.103", "").toString());
  }
}
