package org.onyxrpc.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.transport.Transport;

/**
 * {@link Directory#address}, what {@code RpcClientBuilder.directory} and {@code onyx call HOST}
 * ask, against a directory whose entries are not addresses a client can call: an address that
 * does not parse (a lying directory, or a foreign one's netid of another kind), or port 0.
 */
class AddressOfTest {
  private static final int PROGRAM = 0x2000088a;

  private static ServiceInstance tcp(String address) {
    return new ServiceInstance("", PROGRAM, 1, "tcp", address, "0");
  }

  @Test
  void anEntryThatIsNoAddressIsRefusedAsUnavailableNamingIt() {
    Directory lying = new AnsweringDirectory(List.of(tcp("\u001b[31mnot.an.address")));
    RpcException e = assertThrows(RpcException.class,
        () -> RpcClient.builder().directory(lying, PROGRAM, 1).build().close());
    assertEquals(RpcStatus.UNAVAILABLE, e.status(), e.getMessage());
    assertTrue(e.getMessage().contains("\\x1b[31mnot.an.address"), e.getMessage()); // escaped
    assertTrue(e.getMessage().contains("the lying directory"), e.getMessage());
  }

  @Test
  void portZeroIsNoAddressEither() {
    Directory lying = new AnsweringDirectory(List.of(tcp("127.0.0.1.0.0")));
    RpcException e = assertThrows(RpcException.class,
        () -> lying.address(PROGRAM, 1, Transport.TCP));
    assertEquals(RpcStatus.UNAVAILABLE, e.status(), e.getMessage());
    assertTrue(e.getMessage().contains("127.0.0.1.0.0"), e.getMessage());
  }

  @Test
  void aUsableEntryIsFoundBehindOnesThatAreNot() {
    Directory lying = new AnsweringDirectory(List.of(tcp("garbage"), tcp("127.0.0.1.0.0"),
        new ServiceInstance("", PROGRAM, 1, "tcp6", "::1.18.104", "0"), tcp("127.0.0.1.18.103")));
    assertEquals(new InetSocketAddress("127.0.0.1", 4711), lying.address(PROGRAM, 1, Transport.TCP));
  }
}
