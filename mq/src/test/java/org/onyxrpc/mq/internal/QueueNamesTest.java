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
    // "/\xff\xfe" on the wire reads as "/\uDCFF\uDCFE" (and once read as "/\uFFFD\uFFFD", as did
    // "/\xfe\xff": one queue).
    MqFailure f = refused("/\uDCFF\uDCFE");
    assertEquals(MqErrno.EINVAL, f.errno());
    assertEquals("a queue name is UTF-8 text; this one holds bytes that are not: /\\xff\\xfe", f.detail());
    assertEquals(MqErrno.EINVAL, refused("/" + "\uDC80".repeat(MqConstants.MQ_NAME_MAX - 1)).errno());
    assertEquals(MqErrno.EINVAL, refused("/caf\uDCE9").errno());
  }

  @Test
  void aNulIsNoNameAsItEndsACString() {
    // mq_open takes a C string: "/a\0b" is "/a" there, and C peers list it so. It was a queue.
    MqFailure f = refused("/a\0b");
    assertEquals(MqErrno.EINVAL, f.errno());
    assertEquals("a queue name holds no NUL character, which ends a C string: /a\\0b", f.detail());
    assertEquals(MqErrno.EINVAL, refused("/\0").errno());
  }

  @Test
  void aReplacementCharacterIsText() throws MqFailure {
    // On the wire EF BF BD: UTF-8, now told apart from bytes that are not.
    assertEquals("/\uFFFD", QueueNames.check("/\uFFFD"));
  }

  @Test
  void aLoneSurrogateIsNoNameRatherThanAnotherQueuesName() throws MqFailure {
    MqFailure f = refused("/a\uD800");
    assertEquals(MqErrno.EINVAL, f.errno());
    assertEquals("a queue name is Unicode text; this one holds a lone surrogate: /a\\ud800", f.detail());
    assertEquals(MqErrno.EINVAL, refused("/\uDC00b").errno());
    assertEquals(MqErrno.EINVAL, refused("/\uDC00\uD800").errno());  // the wrong way round
    assertEquals("/\uD83D\uDE00", QueueNames.check("/\uD83D\uDE00"));  // a pair is one character
  }

  @Test
  void aFailureQuotingANameOfBytesThatAreNotUtf8StillFitsTheWire() {
    // 256 characters of three bytes each, as a caller may pass (the wire holds 256 bytes at most):
    // quoted twice, the detail still fits its bound.
    String garbage = "\uFFFD".repeat(MqConstants.MQ_NAME_MAX);
    for (String name : new String[] {garbage, "/" + garbage.substring(2) + "/", garbage.substring(1) + "/"}) {
      String detail = refused(name).detail();
      int bytes = detail.getBytes(StandardCharsets.UTF_8).length;
      assertTrue(bytes <= MqConstants.MQ_DETAIL_MAX, bytes + " bytes of detail: " + detail);
    }
  }

  @Test
  void aRefusalQuotesNoControlCharacterOrRawByteOfTheName() {
    // A terminal printing the detail would act on these as the caller wrote them.
    assertEquals("a queue name starts with '/' (as \"/\\x1b]0;x\\x07\"): \"\\x1b]0;x\\x07\"",
        refused("\u001b]0;x\u0007").detail());
    assertEquals("a queue name has no '/' after the first: /a\\x0a/b", refused("/a\n/b").detail());
    // 64 characters shown at most, each escaped: quoted twice, still within the detail's bound.
    String detail = refused("\u0085".repeat(MqConstants.MQ_NAME_MAX)).detail();
    assertTrue(detail.endsWith("\\x85".repeat(64) + "…\""), detail);
    assertTrue(detail.getBytes(StandardCharsets.UTF_8).length <= MqConstants.MQ_DETAIL_MAX, detail);
    // The name too long is cut after 32 characters, never inside a pair.
    String tooLong = "/" + "\uD83D\uDE00".repeat(MqConstants.MQ_NAME_MAX / 4);
    assertTrue(refused(tooLong).detail().endsWith(": /" + "\uD83D\uDE00".repeat(15) + "…"), refused(tooLong).detail());
  }
}
