package org.onyxrpc.directory.zookeeper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

/** A refresh's reads go out a window at a time, not one round trip after another. */
class PipelinedReadsTest {
  /** Answers nothing until a whole window (or all that is left) is asked for, then all of it. */
  private static final class WindowAnswering implements PipelinedReads.Fetch {
    private final int total;
    private final List<String> paths = new ArrayList<>();
    private final List<PipelinedReads.Answer> waiting = new ArrayList<>();
    private int answered;
    int mostInFlight;

    WindowAnswering(int total) {
      this.total = total;
    }

    @Override
    public void start(String path, PipelinedReads.Answer answer) {
      paths.add(path);
      waiting.add(answer);
      mostInFlight = Math.max(mostInFlight, waiting.size());
      if (waiting.size() == Math.min(PipelinedReads.WINDOW, total - answered)) {
        List<PipelinedReads.Answer> now = List.copyOf(waiting);
        waiting.clear();
        for (PipelinedReads.Answer a : now) {
          String p = paths.get(answered++);
          a.answered(Code.OK, p.getBytes(StandardCharsets.UTF_8), new Stat());
        }
      }
    }
  }

  @Test
  void aWindowOfReadsIsInFlightAtOnceAndTheAnswersKeepTheirOrder() throws Exception {
    int total = 2 * PipelinedReads.WINDOW + 7;
    WindowAnswering zookeeper = new WindowAnswering(total);
    List<String> paths = IntStream.range(0, total).mapToObj(i -> "/base/host/" + i).toList();
    // One read at a time would wait for an answer that comes only with the window: a timeout.
    PipelinedReads.Znode[] read = new PipelinedReads(zookeeper, Duration.ofSeconds(5), StoredEntry.MAX_BYTES).read(paths);
    assertEquals(PipelinedReads.WINDOW, zookeeper.mostInFlight);
    for (int i = 0; i < total; i++) {
      assertArrayEquals(paths.get(i).getBytes(StandardCharsets.UTF_8), read[i].data());
    }
  }

  @Test
  void aZnodeGoneIsNoDataAndAnyOtherFailureFailsTheRead() throws Exception {
    PipelinedReads.Fetch gone = (path, answer) -> answer.answered(Code.NONODE, null, null);
    assertNull(new PipelinedReads(gone, Duration.ofSeconds(30), StoredEntry.MAX_BYTES).read(List.of("/a"))[0].data());
    PipelinedReads.Fetch lost = (path, answer) ->
        answer.answered(path.equals("/b") ? Code.CONNECTIONLOSS : Code.OK, new byte[0], new Stat());
    IOException e = assertThrows(IOException.class,
        () -> new PipelinedReads(lost, Duration.ofSeconds(30), StoredEntry.MAX_BYTES).read(List.of("/a", "/b", "/c")));
    assertEquals("ZooKeeper failed a read: CONNECTIONLOSS", e.getMessage());
  }

  @Test
  void znodesLargerThanAnyEntryAreNotKeptUntilTheReadEnds() throws Exception {
    // Anyone who can write to the ensemble can fill each of a host's 4,096 znodes with 1 MB:
    // kept until the read ends, that was 4 GB; now each is let go as it is answered.
    int total = 2 * PipelinedReads.WINDOW;
    PipelinedReads.Fetch huge = (path, answer) -> answer.answered(Code.OK,
        new byte[path.endsWith("/7") ? StoredEntry.MAX_BYTES : 1 << 20], new Stat());
    List<String> paths = IntStream.range(0, total).mapToObj(i -> "/base/host/" + i).toList();
    PipelinedReads.Znode[] read = new PipelinedReads(huge, Duration.ofSeconds(30), StoredEntry.MAX_BYTES).read(paths);
    for (int i = 0; i < total; i++) {
      boolean entrySized = i == 7;
      assertEquals(entrySized ? StoredEntry.MAX_BYTES : 1 << 20, read[i].length());
      assertEquals(entrySized ? StoredEntry.MAX_BYTES : 0, read[i].data().length, "bytes kept of znode " + i);
      assertEquals(!entrySized, read[i].dropped());
    }
  }

  @Test
  void readsNeverAnsweredEndAtTheTimeoutSayingSo() {
    PipelinedReads.Fetch silent = (path, answer) -> { };
    IOException e = assertThrows(IOException.class,
        () -> new PipelinedReads(silent, Duration.ofMillis(20), StoredEntry.MAX_BYTES).read(List.of("/a", "/b", "/c")));
    assertEquals("ZooKeeper answered 0 of 3 reads in 20 ms", e.getMessage());
  }
}
