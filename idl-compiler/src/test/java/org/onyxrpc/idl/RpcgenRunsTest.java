package org.onyxrpc.idl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RpcgenRuns} runs rpcgen once per input, flags and kind, and gives what rpcgen writes. */
class RpcgenRunsTest {
  @TempDir Path temp;

  @Test
  void aSecondAskerGetsTheFirstRunsOutput() throws Exception {
    NativeToolchain.requireRpcgen();
    Path file = Files.writeString(temp.resolve("point.x"), "struct point { int x; int y; };\n");
    int before = RpcgenRuns.runs();
    RpcgenRuns.Output first = RpcgenRuns.of(file, List.of(), "-h", temp.resolve("a"));
    RpcgenRuns.Output second = RpcgenRuns.of(file, List.of(), "-h", temp.resolve("b"));
    assertEquals(before + 1, RpcgenRuns.runs());
    assertSame(first, second);
    // The same bytes rpcgen writes to NAME.h itself (its guard comes from the name).
    Path direct = Files.createDirectories(temp.resolve("direct")).resolve("point.h");
    assertNull(RpcgenCodecs.run(temp, List.of("rpcgen", "-h", "-o", direct.toString(), "point.x"),
        null, temp.resolve("direct/log.txt")));
    assertArrayEquals(Files.readAllBytes(direct), first.bytes());
  }

  /** CorpusTest's and XdrDifferentialTest's files are tested two at a time: askers at once share one run. */
  @Test
  void askersAtOnceShareOneRun() throws Exception {
    NativeToolchain.requireRpcgen();
    Path file = Files.writeString(temp.resolve("pair.x"), "struct pair { int a; int b; };\n");
    int before = RpcgenRuns.runs();
    ExecutorService askers = Executors.newFixedThreadPool(4);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<RpcgenRuns.Output>> outputs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Path scratch = temp.resolve("asker" + i);
        outputs.add(askers.submit(() -> {
          go.await();
          return RpcgenRuns.of(file, List.of(), "-h", scratch);
        }));
      }
      go.countDown();
      RpcgenRuns.Output first = outputs.get(0).get(1, TimeUnit.MINUTES);
      assertTrue(first.succeeded(), first.failure());
      for (Future<RpcgenRuns.Output> output : outputs) {
        assertSame(first, output.get(1, TimeUnit.MINUTES));
      }
      assertEquals(before + 1, RpcgenRuns.runs());
    } finally {
      askers.shutdownNow();
    }
  }

  @Test
  void anotherKindFlagOrTextRunsAgain() throws Exception {
    NativeToolchain.requireRpcgen();
    Path file = Files.writeString(temp.resolve("point.x"), "struct point { int x; };\n");
    int before = RpcgenRuns.runs();
    RpcgenRuns.of(file, List.of(), "-h", temp);
    RpcgenRuns.of(file, List.of(), "-c", temp);
    RpcgenRuns.of(file, List.of("-N"), "-c", temp);
    Files.writeString(file, "struct point { int x; int y; };\n");
    RpcgenRuns.Output changed = RpcgenRuns.of(file, List.of(), "-h", temp);
    assertEquals(before + 4, RpcgenRuns.runs());
    assertTrue(new String(changed.bytes(), StandardCharsets.US_ASCII)
        .contains("int y;"));
  }

  @Test
  void aFailureIsKeptWithWhatRpcgenSaid() throws Exception {
    NativeToolchain.requireRpcgen();
    Path file = Files.writeString(temp.resolve("bad.x"), "struct { int x; };\n");
    int before = RpcgenRuns.runs();
    RpcgenRuns.Output failed = RpcgenRuns.of(file, List.of(), "-h", temp);
    assertFalse(failed.succeeded());
    assertTrue(failed.failure().contains("exited with"), failed.failure());
    assertSame(failed, RpcgenRuns.of(file, List.of(), "-h", temp));
    assertEquals(before + 1, RpcgenRuns.runs());
  }
}
