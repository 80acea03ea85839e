package org.onyxrpc.examples.javafirst;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The Java-first example: Java → .idl → stubs in one build, served and called over loopback. */
class InventoryDemoTest {
  @Test
  void printsWhatTheReadmeShows() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    InventoryDemo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertEquals("""
        server: Inventory version 1 (program 0x20000501)
        client: part(G-32) = Part[id=G-32, name=gear, 32 teeth, kind=GEAR, stock=4, note=brass]
        client: parts(SCREW) = [Part[id=M4-10, name=M4 screw, 10 mm, kind=SCREW, stock=500, note=null]]
        client: reserve(M4-10, 20) = Reserved[reserved=480]
        client: reserve(S-7, 1) = Backordered[backordered=14]
        client: part(X-1) threw NoSuchPart for X-1
        server: shut down
        """, bytes.toString(StandardCharsets.UTF_8));
  }
}
