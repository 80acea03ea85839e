package org.onyxrpc.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import org.onyxrpc.transport.Transport;

/**
 * The TSV file of {@link CClientRuns}' {@code --windows}: one line per latency run, {@code round
 * pair transport calls client_pid client_tid server from_ns to_ns}, read by {@code
 * report.SchedReport}; or nothing, when no file was asked for.
 */
final class Windows {
  /** The header line, the columns' names. */
  static final String HEADER = "round\tpair\ttransport\tcalls\tclient_pid\tclient_tid\tserver\tfrom_ns\tto_ns";

  private final Path file;

  private Windows(Path file) {
    this.file = file;
  }

  /** Lines written to {@code file}, made anew with its header; null: nothing is written. */
  static Windows at(Path file) throws IOException {
    if (file != null) {
      Files.writeString(file, HEADER + "\n", StandardCharsets.US_ASCII);
    }
    return new Windows(file);
  }

  /** One run's line. */
  void add(int round, String pair, Transport transport, long calls, TimedWindow window,
      String server) {
    if (file == null) {
      return;
    }
    String line = String.join("\t", Integer.toString(round), pair,
        transport.name().toLowerCase(Locale.ROOT), Long.toString(calls),
        Long.toString(window.pid()), Long.toString(window.tid()), server, Long.toString(window.fromNanos()),
        Long.toString(window.toNanos())) + "\n";
    try {
      Files.writeString(file, line, StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
