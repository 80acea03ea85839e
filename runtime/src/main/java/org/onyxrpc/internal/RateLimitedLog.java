package org.onyxrpc.internal;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * One kind of log line that a peer or a failing server can trigger at will: the first occurrence
 * is logged, later ones within the interval are only counted, and the next line logged after it
 * says how many were left out. So 20,000 refused connections, or a client calling a server that
 * is down in a loop, write a line per interval, not one per event. Each line stays one line:
 * what its arguments print may be the peer's (an exception quoting a value it sent, a socket path
 * a Unix-domain client chose), so control and line-separator characters in them are escaped
 * ({@code \x0a}), lest a peer write log lines of its own. Safe from any thread.
 */
public final class RateLimitedLog {
  /** Default interval between two lines of one kind. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
  /** Longest part of a message {@link #shortMessage} quotes. */
  public static final int MAX_MESSAGE = 200;

  private final long intervalNanos;
  private final LongSupplier nanoClock;
  private final AtomicLong nextLine;
  private final AtomicLong suppressed = new AtomicLong();

  /** Lines of one kind at most once per {@code interval} on {@link System#nanoTime()}. */
  public RateLimitedLog(Duration interval) {
    this(interval, System::nanoTime);
  }

  /** Lines of one kind at most once per {@code interval} on {@code nanoClock}. */
  public RateLimitedLog(Duration interval, LongSupplier nanoClock) {
    this.intervalNanos = interval.toNanos();
    this.nanoClock = nanoClock;
    this.nextLine = new AtomicLong(nanoClock.getAsLong());
  }

  /**
   * Logs at ERROR unless a line of this kind was logged less than an interval ago; a trailing
   * {@link Throwable} stays the line's exception.
   */
  public void error(Logger log, String format, Object... args) {
    if (log.isErrorEnabled()) {
      long skipped = admit();
      if (skipped >= 0) {
        log.error(withCount(format, skipped), withCount(oneLine(args), skipped));
      }
    }
  }

  /** Logs at WARN unless a line of this kind was logged less than an interval ago. */
  public void warn(Logger log, String format, Object... args) {
    if (log.isWarnEnabled()) {
      long skipped = admit();
      if (skipped >= 0) {
        log.warn(withCount(format, skipped), withCount(oneLine(args), skipped));
      }
    }
  }

  /** Logs at INFO unless a line of this kind was logged less than an interval ago. */
  public void info(Logger log, String format, Object... args) {
    if (log.isInfoEnabled()) {
      long skipped = admit();
      if (skipped >= 0) {
        log.info(withCount(format, skipped), withCount(oneLine(args), skipped));
      }
    }
  }

  /**
   * Logs at DEBUG if enabled, every time (DEBUG is asked for, and then wanted whole), each
   * argument escaped as a rate-limited line's are: for a debug line that quotes what a peer chose
   * (a Unix-domain peer's socket path, a decoder's message quoting a name it sent), which would
   * otherwise write lines of the peer's own into a log kept at DEBUG.
   *
   * @param log the logger
   * @param format the line, with {@code {}} for each argument
   * @param args the arguments; a trailing exception stays the line's exception
   */
  public static void debugOneLine(Logger log, String format, Object... args) {
    if (log.isDebugEnabled()) {
      log.debug(format, oneLine(args));
    }
  }

  /**
   * The lines left out since the last one logged if this one may be logged now, else -1 (and
   * this one is counted).
   */
  private long admit() {
    long now = nanoClock.getAsLong();
    long next = nextLine.get();
    if (now - next >= 0 && nextLine.compareAndSet(next, now + intervalNanos)) {
      return suppressed.getAndSet(0);
    }
    suppressed.incrementAndGet();
    return -1;
  }

  /**
   * The arguments, each that would print a control or line-separator character printed with it
   * escaped instead; a trailing exception stays the line's exception (its stack trace is the
   * logger's to print). Runs only for lines logged, once per interval.
   */
  private static Object[] oneLine(Object[] args) {
    Object[] safe = args;
    int last = args.length > 0 && args[args.length - 1] instanceof Throwable
        ? args.length - 1 : args.length;
    for (int i = 0; i < last; i++) {
      if (args[i] == null || args[i].getClass().isArray()) {
        continue; // printed as the logger prints arrays: numbers and the elements' own text
      }
      String text = args[i].toString();
      String escaped = escaped(text);
      if (escaped != text) {
        if (safe == args) {
          safe = args.clone();
        }
        safe[i] = escaped;
      }
    }
    return safe;
  }

  /**
   * {@code failure}'s message, escaped and cut at {@value #MAX_MESSAGE} characters (saying how
   * long it was): for a message that may quote what a peer sent, which Netty's TLS decoder does
   * with every byte of a read that is not TLS, in hex (up to a whole read, 128 KiB of text). One
   * without a message is named by its class (Netty's closed-channel exceptions have none: a
   * line ending in "null" told a user nothing).
   *
   * @param failure what went wrong
   * @return its message, one short line
   */
  public static String shortMessage(Throwable failure) {
    String message = failure.getMessage();
    return shortText(message != null ? message : failure.getClass().getSimpleName());
  }

  /**
   * {@code text} escaped and cut at {@value #MAX_MESSAGE} characters (saying how long it was), as
   * {@link #shortMessage} words an exception's: for a name a log line quotes that may be long.
   *
   * @param text what a log line is to quote
   * @return the text, one short line
   */
  public static String shortText(String text) {
    return escaped(text.length() <= MAX_MESSAGE ? text
        : text.substring(0, MAX_MESSAGE) + "... (" + text.length() + " characters)");
  }

  /**
   * {@code text} with control and line-separator characters escaped ({@code \x0a}; U+2028 as a
   * backslash, u and its four hex digits), and so are lone surrogates (a string's byte that is
   * not UTF-8 reads as one, U+DC80..U+DCFF, which a log printed raw would show as '?'), or
   * {@code text} itself if it has none: for any line that quotes what a peer chose, rate-limited
   * or not.
   *
   * @param text what a log line is to quote
   * @return the text, one line
   */
  public static String escaped(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int type = Character.getType(c);
      boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1));
      boolean unsafe = type == Character.CONTROL || type == Character.LINE_SEPARATOR
          || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE && !pair;
      if (pair) {
        if (out != null) {
          out.append(c).append(text.charAt(i + 1));
        }
        i++;
        continue;
      }
      if (unsafe && out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (out != null) {
        if (!unsafe) {
          out.append(c);
        } else if (c <= 0xff) {
          out.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
        } else {
          out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
        }
      }
    }
    return out == null ? text : out.toString();
  }

  private static String withCount(String format, long skipped) {
    return skipped == 0 ? format : format + " ({} similar lines left out)";
  }

  /** The arguments with the count of lines left out, placed before a trailing exception. */
  private static Object[] withCount(Object[] args, long skipped) {
    if (skipped == 0) {
      return args;
    }
    Object[] all = Arrays.copyOf(args, args.length + 1);
    int at = args.length > 0 && args[args.length - 1] instanceof Throwable ? args.length - 1 : args.length;
    all[at] = skipped;
    if (at < args.length) {
      all[args.length] = args[at]; // still the line's exception
    }
    return all;
  }
}
