package org.onyxrpc.mq.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.onyxrpc.mq.internal.wire.MqConstants;
import org.onyxrpc.mq.internal.wire.MqErrno;
import org.onyxrpc.mq.internal.wire.MqFailure;

/** A name that is not one says what is wrong with it, and for a missing '/' what was meant. */
class QueueNamesTest {
  private static MqFailure refused(String name) {
    return assertThrows(MqFailure.class, () -> QueueNames.check(name));
  }

  @Test
  void aNameWithoutItsSlashSaysSoAndWhatItWouldBe() {
    MqFailure f = refused("jobs");
    assertEquals(MqErrno.EINVAL, f.errno());
    assertEquals("a queue name starts with '/' (as \"/jobs\"): \"jobs\"", f.detail());
    assertEquals("a queue name starts with '/': \"a/b\"", refused("a/b").detail());
  }

  @Test
  void aSlashAloneOrNothingIsNoName() {
    assertEquals("a queue name is '/' and at least one more character: \"/\"", refused("/").detail());
    assertEquals("a queue name is '/' and at least one more character: \"\"", refused("").detail());
  }

  @Test
  void aSecondSlashIsEacces() throws MqFailure {
    assertEquals(MqErrno.EACCES, refused("/a/b").errno());
    assertEquals("/jobs", QueueNames.check("/jobs"));
  }

  @Test
  void bytesThatAreNotUtf8AreNoNameRatherThanAnotherQueuesName() {
    // "/\xff\xfe" and "/\xfe\xff" on the wire both read as "/\uFFFD\uFFFD": one queue, before.
    MqFailure f = refused("/\uFFFD\uFFFD");
    assertEquals(MqErrno.EINVAL, f.errno());
    assertEquals("a queue name is UTF-8 text; this one holds bytes that are not: /\uFFFD\uFFFD", f.detail());
    // 255 such bytes are that, not a name 765 bytes long.
    assertEquals(MqErrno.EINVAL, refused("/" + "\uFFFD".repeat(MqConstants.MQ_NAME_MAX - 1)).errno());
  }

  @Test
  void aLoneSurrogateIsNoNameRatherThanAnotherQueuesName() throws MqFailure {
    MqFailure f = refused("/a\uD800");
    assertEquals(MqErrno.EINVAL, f.errno());
    assertEquals("a queue name is Unicode text; this one holds a lone surrogate: /a\uD800", f.detail());
    assertEquals(MqErrno.EINVAL, refused("/\uDC00b").errno());
    assertEquals(MqErrno.EINVAL, refused("/\uDC00\uD800").errno());  // the wrong way round
    assertEquals("/\uD83D\uDE00", QueueNames.check("/\uD83D\uDE00"));  // a pair is one character
  }

  @Test
  void aFailureQuotingANameOfBytesThatAreNotUtf8StillFitsTheWire() {
    // 256 bytes of 0xFF on the wire, within MQ_NAME_MAX: read as 256 U+FFFD, 768 bytes of UTF-8.
    String garbage = "\uFFFD".repeat(MqConstants.MQ_NAME_MAX);
    for (String name : new String[] {garbage, "/" + garbage.substring(2) + "/", garbage.substring(1) + "/"}) {
      String detail = refused(name).detail();
      int bytes = detail.getBytes(StandardCharsets.UTF_8).length;
      assertTrue(bytes <= MqConstants.MQ_DETAIL_MAX, bytes + " bytes of detail: " + detail);
    }
  }
}
