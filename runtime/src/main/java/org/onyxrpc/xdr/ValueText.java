package org.onyxrpc.xdr;

import java.util.List;
import java.util.function.IntFunction;

/**
 * Decoded values as a line of bounded length: the message of a generated exception, which
 * lists its fields. A declared exception arrives from a server, which chose how long its
 * strings, opaques and arrays are; its message, which logs and stack traces print, stays short
 * whatever they hold (a value cut ends with "…", an array or list shows its first elements and
 * its size).
 */
public final class ValueText {
  /** The most characters shown of one value. */
  public static final int MAX_CHARS = 200;
  /** The most elements shown of an array or list. */
  public static final int MAX_ELEMENTS = 16;

  private ValueText() {}

  /**
   * {@code "a=1, b=[1, 2, 3]"} for {@code describe("a", 1, "b", new int[] {1, 2, 3})}.
   *
   * @param namesAndValues each field's name followed by its value
   * @return the fields as text, each value at most {@link #MAX_CHARS} characters
   */
  public static String describe(Object... namesAndValues) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
      text.append(i == 0 ? "" : ", ").append(namesAndValues[i]).append('=').append(of(namesAndValues[i + 1]));
    }
    return text.toString();
  }

  /**
   * One value as text: an array's or list's first elements, anything else by its toString,
   * cut at {@link #MAX_CHARS} characters.
   *
   * @param value a decoded value, or null
   * @return its text
   */
  public static String of(Object value) {
    String text;
    if (value instanceof byte[] a) {
      text = elements(a.length, i -> Byte.toString(a[i]));
    } else if (value instanceof int[] a) {
      text = elements(a.length, i -> Integer.toString(a[i]));
    } else if (value instanceof long[] a) {
      text = elements(a.length, i -> Long.toString(a[i]));
    } else if (value instanceof float[] a) {
      text = elements(a.length, i -> Float.toString(a[i]));
    } else if (value instanceof double[] a) {
      text = elements(a.length, i -> Double.toString(a[i]));
    } else if (value instanceof boolean[] a) {
      text = elements(a.length, i -> Boolean.toString(a[i]));
    } else if (value instanceof short[] a) {
      text = elements(a.length, i -> Short.toString(a[i]));
    } else if (value instanceof Object[] a) {
      text = elements(a.length, i -> of(a[i]));
    } else if (value instanceof List<?> list) {
      text = elements(list.size(), i -> of(list.get(i)));
    } else if (value instanceof String s) {
      text = s.length() > MAX_CHARS + 1 ? s.substring(0, MAX_CHARS + 1) : s; // cut before it is copied
    } else {
      text = String.valueOf(value);
    }
    return text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) + "…" : text;
  }

  private static String elements(int size, IntFunction<String> element) {
    StringBuilder text = new StringBuilder("[");
    for (int i = 0; i < Math.min(size, MAX_ELEMENTS) && text.length() <= MAX_CHARS; i++) {
      text.append(i == 0 ? "" : ", ").append(element.apply(i));
    }
    return text.append(size > MAX_ELEMENTS ? ", … (" + size + " in all)]" : "]").toString();
  }
}
