package org.onyxrpc.directory.rpcbind;

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
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.UniversalAddress;
import org.onyxrpc.internal.directory.Names;
import org.onyxrpc.internal.directory.NamesListing;
import org.onyxrpc.internal.rpcbind.Rpcb;

/**
 * onyx_names.x, which C peers compile, says the numbers the Java codecs use: the bounds, the
 * procedure numbers, the version and the program, so that one changed on one side only fails here
 * (NamesProtocolCClientTest runs every procedure from C, but not at the bounds).
 */
class OnyxNamesXTest {
  private static final Pattern NUMBERED =
      Pattern.compile("\\b(ONYX_[A-Z_]+)(?:\\([^)]*\\))?\\s*=\\s*(0x[0-9A-Fa-f]+|\\d+)");

  @Test
  void theXFileGivesTheNumbersOfTheJavaCodecs() throws IOException {
    Map<String, Long> java = new TreeMap<>();
    java.put("ONYX_MAX_NAME", (long) ServiceInstance.MAX_NAME);
    java.put("ONYX_MAX_NETID", (long) Rpcb.MAX_NETID);
    java.put("ONYX_MAX_ADDR", (long) UniversalAddress.MAX_LENGTH);
    java.put("ONYX_MAX_OWNER", (long) Rpcb.MAX_OWNER);
    java.put("ONYX_MAX_INSTANCES", (long) Names.MAX_INSTANCES);
    java.put("ONYX_REGISTER", (long) Names.REGISTER.number());
    java.put("ONYX_UNREGISTER", (long) Names.UNREGISTER.number());
    java.put("ONYX_LOOKUP", (long) Names.LOOKUP.number());
    java.put("ONYX_LIST", (long) NamesListing.LIST.number());
    java.put("ONYX_DIRECTORY_V1", (long) Names.VERSION);
    java.put("ONYX_DIRECTORY", Integer.toUnsignedLong(Names.PROGRAM));
    assertEquals(java, numbers());
  }

  /** Every ONYX_ name the file gives a number: constants, procedures, version and program. */
  private static Map<String, Long> numbers() throws IOException {
    String text;
    try (InputStream in = OnyxNamesXTest.class.getResourceAsStream("/org/onyxrpc/directory/onyx_names.x")) {
      assertNotNull(in, "onyx_names.x is not on the class path");
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    text = text.replaceAll("(?s)/\\*.*?\\*/", " ");
    Map<String, Long> numbers = new TreeMap<>();
    Matcher m = NUMBERED.matcher(text);
    while (m.find()) {
      numbers.put(m.group(1), parse(m.group(2)));
    }
    // "} = 1;" and "} = 0x20004F4E;" close the version and the program: numbered by position.
    Matcher closing = Pattern.compile("}\\s*=\\s*(0x[0-9A-Fa-f]+|\\d+)\\s*;").matcher(text);
    String[] owners = {"ONYX_DIRECTORY_V1", "ONYX_DIRECTORY"};
    for (int i = 0; i < owners.length && closing.find(); i++) {
      numbers.put(owners[i], parse(closing.group(1)));
    }
    return numbers;
  }

  private static long parse(String value) {
    return value.startsWith("0x") ? Long.parseLong(value.substring(2), 16) : Long.parseLong(value);
  }
}
