package org.onyxrpc.directory.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.UniversalAddress;

/**
 * A link-local (or site-local) answer of a directory reached at a scoped address of the same kind
 * takes the directory's scope, as libtirpc's {@code __rpc_fixup_addr} gives it; nothing else
 * does. {@code LinkLocalCallersInteropTest} calls such an answer over a real link.
 */
class LinkScopeOfAnswersTest {
  private static InetAddress scoped(String ip, int scope) throws Exception {
    return Inet6Address.getByAddress(null, InetAddress.getByName(ip).getAddress(), scope);
  }

  private static InetSocketAddress onLinkOf(String uaddr, InetAddress host) {
    return AnsweredAddresses.onLinkOf(UniversalAddress.parse(uaddr), host);
  }

  @Test
  void aLinkLocalAnswerOfALinkLocalDirectoryIsOnItsLink() throws Exception {
    assertEquals(new InetSocketAddress(scoped("fe80::45:1", 5), 4711),
        onLinkOf("fe80::45:1.18.103", scoped("fe80::9", 5)));
    assertEquals(new InetSocketAddress(scoped("fec0::1", 3), 4711),
        onLinkOf("fec0::1.18.103", scoped("fec0::9", 3)));
  }

  @Test
  void anyOtherAnswerIsKeptAsAnswered() throws Exception {
    InetSocketAddress global = UniversalAddress.parse("2001:db8::1.18.103");
    assertEquals(global, AnsweredAddresses.onLinkOf(global, scoped("fe80::9", 5)));
    InetSocketAddress linkLocal = UniversalAddress.parse("fe80::45:1.18.103");
    assertEquals(linkLocal, AnsweredAddresses.onLinkOf(linkLocal, InetAddress.getByName("2001:db8::9")));
    assertEquals(linkLocal, AnsweredAddresses.onLinkOf(linkLocal, InetAddress.getByName("fe80::9"))); // no scope to give
    assertEquals(linkLocal, AnsweredAddresses.onLinkOf(linkLocal, InetAddress.getByName("192.0.2.1")));
    assertEquals(linkLocal, AnsweredAddresses.onLinkOf(linkLocal, scoped("fec0::9", 3))); // another kind
    InetSocketAddress v4 = UniversalAddress.parse("192.0.2.7.18.103");
    assertEquals(v4, AnsweredAddresses.onLinkOf(v4, scoped("fe80::9", 5)));
  }
}
