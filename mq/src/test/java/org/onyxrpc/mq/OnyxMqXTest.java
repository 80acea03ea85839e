package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1;
import org.onyxrpc.mq.internal.wire.MqConstants;
import org.onyxrpc.mq.internal.wire.MqErrno;
import org.onyxrpc.rpc.Procedure;

/**
 * onyx_mq.x, which C peers compile, says the numbers mq.idl does: every error number, constant,
 * procedure number and the program, so that a number changed in one and not the other fails here
 * (MqCClientTest runs the file's types and the procedures a C client uses on the wire).
 */
class OnyxMqXTest {
  private static final Pattern NUMBERED = Pattern.compile("\\b(MQ_[A-Z_]+)(?:\\([^)]*\\))?\\s*=\\s*(0x[0-9A-Fa-f]+|\\d+)");

  @Test
  void theXFileGivesEveryNumberMqIdlGives() throws IOException {
    Map<String, Long> x = numbers();
    Map<String, Long> idl = new TreeMap<>();
    for (MqErrno e : MqErrno.values()) {
      idl.put("MQ_" + e.name(), (long) e.value());
    }
    idl.put("MQ_NAME_MAX", (long) MqConstants.MQ_NAME_MAX);
    idl.put("MQ_PRIO_MAX", (long) MqConstants.MQ_PRIO_MAX);
    idl.put("MQ_MSGSIZE_LIMIT", (long) MqConstants.MQ_MSGSIZE_LIMIT);
    idl.put("MQ_DETAIL_MAX", (long) MqConstants.MQ_DETAIL_MAX);
    idl.put("MQ_DEFAULT_ATTRIBUTES", (long) MqConstants.MQ_DEFAULT_ATTRIBUTES);
    idl.put("MQ_LIST_MAX", (long) MqConstants.MQ_LIST_MAX);
    idl.put("MQ_READ_ONLY", 0L);
    idl.put("MQ_WRITE_ONLY", 1L);
    idl.put("MQ_READ_WRITE", 2L);
    procedure(idl, "MQ_OPEN", MessageQueueServiceV1.OPEN);
    procedure(idl, "MQ_CLOSE", MessageQueueServiceV1.CLOSE);
    procedure(idl, "MQ_UNLINK", MessageQueueServiceV1.UNLINK);
    procedure(idl, "MQ_SEND", MessageQueueServiceV1.SEND);
    procedure(idl, "MQ_RECEIVE", MessageQueueServiceV1.RECEIVE);
    procedure(idl, "MQ_COMMIT", MessageQueueServiceV1.COMMIT);
    procedure(idl, "MQ_RELEASE", MessageQueueServiceV1.RELEASE);
    procedure(idl, "MQ_ATTRIBUTES", MessageQueueServiceV1.ATTRIBUTES);
    procedure(idl, "MQ_NOTIFY_ON_ARRIVAL", MessageQueueServiceV1.NOTIFY_ON_ARRIVAL);
    procedure(idl, "MQ_CANCEL_NOTIFY", MessageQueueServiceV1.CANCEL_NOTIFY);
    procedure(idl, "MQ_STATUS", MessageQueueServiceV1.STATUS);
    procedure(idl, "MQ_NOTIFY_ON_ARRIVAL_FOR", MessageQueueServiceV1.NOTIFY_ON_ARRIVAL_FOR);
    procedure(idl, "MQ_CANCEL_NOTIFY_FOR", MessageQueueServiceV1.CANCEL_NOTIFY_FOR);
    procedure(idl, "MQ_LIST", MessageQueueServiceV1.LIST);
    idl.put("MQ_VERS", (long) MessageQueueServiceV1.VERSION);
    idl.put("MQ_PROG", Integer.toUnsignedLong(MessageQueueServiceV1.PROGRAM));
    assertEquals(idl, x);
  }

  private static void procedure(Map<String, Long> numbers, String name, Procedure<?, ?> p) {
    numbers.put(name, (long) p.number());
  }

  /** Every MQ_ name the .x file gives a number: constants, enumerators, procedures, version, program. */
  private static Map<String, Long> numbers() throws IOException {
    String text;
    try (InputStream in = OnyxMqXTest.class.getResourceAsStream("/org/onyxrpc/mq/onyx_mq.x")) {
      assertNotNull(in, "onyx_mq.x is not on the class path");
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    text = text.replaceAll("(?s)/\\*.*?\\*/", " ");
    Map<String, Long> numbers = new TreeMap<>();
    Matcher m = NUMBERED.matcher(text);
    while (m.find()) {
      String value = m.group(2);
      numbers.put(m.group(1), value.startsWith("0x") ? Long.parseLong(value.substring(2), 16) : Long.parseLong(value));
    }
    // "} = 1;" and "} = 0x20000500;" close the version and the program: numbered by position.
    Matcher closing = Pattern.compile("}\\s*=\\s*(0x[0-9A-Fa-f]+|\\d+)\\s*;").matcher(text);
    String[] owners = {"MQ_VERS", "MQ_PROG"};
    for (int i = 0; i < owners.length && closing.find(); i++) {
      String value = closing.group(1);
      numbers.put(owners[i], value.startsWith("0x") ? Long.parseLong(value.substring(2), 16) : Long.parseLong(value));
    }
    return numbers;
  }
}
