package org.onyxrpc.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Summarises an async-profiler profile in collapsed form, taken with {@code threads=true} (each
 * stack's first frame names its thread), as {@code benchmarks/profile.sh} takes it: each
 * thread's share of the samples, then, for each thread that took a noticeable share, where its
 * samples land. A sample lands on the leaf-most Java frame of its stack, so the kernel's work in
 * a system call counts under the JDK method that made the call ({@code SocketDispatcher.write0}),
 * and the JVM's zeroing of new memory under the method that allocated it; a stack without a Java
 * frame (a compiler or GC thread) lands on its leaf.
 *
 * <pre>java -cp benchmarks.jar org.onyxrpc.benchmarks.report.ProfileSummary collapsed-cpu.csv</pre>
 */
public final class ProfileSummary {
  /** Threads below this share of all samples are not broken down. */
  private static final double MIN_THREAD_SHARE = 0.05;
  /** Rows per thread. */
  private static final int TOP = 15;
  private static final Pattern THREAD_ID = Pattern.compile(" tid=\\d+\\]$");
  /** A lambda's or hidden class's address changes from run to run; its name does not. */
  private static final Pattern HIDDEN_CLASS = Pattern.compile("\\$\\$Lambda[$0-9]*\\.0x[0-9a-f]+");

  /** One distinct stack: its thread, its frames from the root down (thread excluded), samples. */
  record Stack(String thread, List<String> frames, long samples) {}

  private ProfileSummary() {}

  /** Parses collapsed lines: {@code [thread tid=N];frame;...;leaf COUNT}. */
  static List<Stack> parse(List<String> lines) {
    List<Stack> stacks = new ArrayList<>();
    for (String line : lines) {
      int space = line.lastIndexOf(' ');
      if (line.isBlank() || space < 0) {
        continue;
      }
      List<String> frames = List.of(line.substring(0, space).split(";"));
      long samples = Long.parseLong(line.substring(space + 1).trim());
      String first = frames.get(0);
      if (first.startsWith("[") && first.endsWith("]")) {
        String thread = THREAD_ID.matcher(first).replaceFirst("]");
        stacks.add(new Stack(thread.substring(1, thread.length() - 1),
            frames.subList(1, frames.size()), samples));
      } else {
        stacks.add(new Stack("(no thread)", frames, samples));
      }
    }
    return stacks;
  }

  /** Samples per thread, most first. */
  static Map<String, Long> byThread(List<Stack> stacks) {
    Map<String, Long> samples = new LinkedHashMap<>();
    for (Stack s : stacks) {
      samples.merge(s.thread(), s.samples(), Long::sum);
    }
    return sortedByCount(samples);
  }

  /** The samples of {@code thread}, by the frame they land on (see the class), most first. */
  static Map<String, Long> byLandingFrame(List<Stack> stacks, String thread) {
    Map<String, Long> samples = new LinkedHashMap<>();
    for (Stack s : stacks) {
      if (s.thread().equals(thread)) {
        samples.merge(landingFrame(s.frames()), s.samples(), Long::sum);
      }
    }
    return sortedByCount(samples);
  }

  /** The leaf-most Java frame, or the leaf when there is none. */
  static String landingFrame(List<String> frames) {
    for (int i = frames.size() - 1; i >= 0; i--) {
      if (isJava(frames.get(i))) {
        return HIDDEN_CLASS.matcher(frames.get(i)).replaceAll(Matcher.quoteReplacement("$$Lambda"));
      }
    }
    return frames.isEmpty() ? "(empty)" : frames.get(frames.size() - 1);
  }

  /** A Java method as async-profiler names it: {@code pkg/Class.method}, maybe with a suffix. */
  private static boolean isJava(String frame) {
    return frame.indexOf('/') > 0 && frame.indexOf('.') > 0 && !frame.endsWith("_[k]")
        && !frame.contains("::") && !frame.contains(" ");
  }

  private static Map<String, Long> sortedByCount(Map<String, Long> counts) {
    Map<String, Long> sorted = new LinkedHashMap<>();
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
            .thenComparing(Map.Entry.comparingByKey()))
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }

  /** The summary in Markdown. */
  static String render(List<Stack> stacks) {
    Map<String, Long> threads = byThread(stacks);
    long total = threads.values().stream().mapToLong(Long::longValue).sum();
    StringBuilder md = new StringBuilder();
    md.append("## Samples by thread (").append(total).append(" in all)\n\n")
        .append("| thread | samples | share |\n|---|---:|---:|\n");
    threads.forEach((thread, n) -> md.append("| `").append(thread).append("` | ").append(n)
        .append(" | ").append(percent(n, total)).append(" |\n"));
    threads.forEach((thread, n) -> {
      if ((double) n / total < MIN_THREAD_SHARE) {
        return;
      }
      md.append("\n## `").append(thread).append("`: where its samples land\n\n")
          .append("| leaf-most Java frame | samples | share of the thread |\n|---|---:|---:|\n");
      byLandingFrame(stacks, thread).entrySet().stream().limit(TOP).forEach(e ->
          md.append("| `").append(e.getKey()).append("` | ").append(e.getValue()).append(" | ")
              .append(percent(e.getValue(), n)).append(" |\n"));
    });
    return md.toString();
  }

  private static String percent(long part, long whole) {
    return String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
  }

  /**
   * Prints the summary of a collapsed profile.
   *
   * @param args the collapsed file
   * @throws IOException if it cannot be read
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: ProfileSummary COLLAPSED-FILE");
      System.exit(2);
    }
    System.out.print(render(parse(Files.readAllLines(Path.of(args[0])))));
  }
}
