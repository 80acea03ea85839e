package org.onyxrpc.xdr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.List;

/**
 * Equality through records, lists and arrays (records compare array components by identity),
 * with the path of the first difference in the failure. Floats compare by {@code equals}, so
 * -0.0 differs from 0.0 and NaN equals NaN.
 */
public final class DeepEquals {
  private DeepEquals() {}

  /** Fails with the path of the first difference. */
  public static void assertDeepEquals(Object expected, Object actual) {
    check(expected, actual, "value");
  }

  private static void check(Object expected, Object actual, String path) {
    if (expected == null || actual == null) {
      assertEquals(expected, actual, path);
    } else if (expected.getClass().isArray()) {
      assertEquals(expected.getClass(), actual.getClass(), path);
      assertEquals(Array.getLength(expected), Array.getLength(actual), path + ".length");
      for (int i = 0; i < Array.getLength(expected); i++) {
        check(Array.get(expected, i), Array.get(actual, i), path + "[" + i + "]");
      }
    } else if (expected instanceof List<?> list) {
      List<?> other = (List<?>) actual;
      assertEquals(list.size(), other.size(), path + ".size()");
      for (int i = 0; i < list.size(); i++) {
        check(list.get(i), other.get(i), path + "[" + i + "]");
      }
    } else if (expected.getClass().isRecord()) {
      assertEquals(expected.getClass(), actual.getClass(), path);
      for (RecordComponent c : expected.getClass().getRecordComponents()) {
        check(get(c, expected), get(c, actual), path + "." + c.getName());
      }
    } else {
      assertEquals(expected, actual, path);
    }
  }

  private static Object get(RecordComponent component, Object record) {
    try {
      component.getAccessor().setAccessible(true);
      return component.getAccessor().invoke(record);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new AssertionError(e);
    }
  }
}
