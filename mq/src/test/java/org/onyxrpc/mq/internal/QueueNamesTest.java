package org.onyxrpc.mq.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
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
}
