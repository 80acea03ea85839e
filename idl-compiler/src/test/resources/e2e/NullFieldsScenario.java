package org.example.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.Callable;
import org.example.e2e.shapes.Color;
import org.example.e2e.shapes.Point;
import org.junit.jupiter.api.function.Executable;

/**
 * Compiled with the Java of everything.idl by EndToEndTest: a record or exception built with null
 * where XDR has no null (a string, opaque, array, enum, struct or union that is not optional data)
 * is refused there, naming the field, rather than failing the call that encodes it.
 */
public final class NullFieldsScenario implements Callable<String> {
  @Override
  public String call() {
    rejects("Bags.name is null; XDR has no null string", () -> bags(null, new byte[5], List.of()));
    rejects("Bags.fixed is null; XDR has no null opaque", () -> bags("n", null, List.of()));
    rejects("Bags.points is null; XDR has no null array", () -> bags("n", new byte[5], null));
    rejects("Scalars.c is null; XDR has no null enum",
        () -> new Scalars(0, 0, 0, 0, 0f, 0d, false, null));
    rejects("Shape.Dot.dot is null; XDR has no null struct", () -> new Shape.Dot(null));
    rejects("Shape.Line.kind is null; XDR has no null enum",
        () -> new Shape.Line(null, List.of(new Point(0, 0), new Point(1, 1))));
    rejects("Lookup.Error.error is null; XDR has no null string", () -> new Lookup.Error(7, null));
    rejects("NotFound.key is null; XDR has no null string", () -> new NotFound("gone", null));
    // A linked list's fields after its link as well as before it.
    rejects("Tagged.name is null; XDR has no null string",
        () -> new Tagged(null, null, "t", Color.RED));
    rejects("Tagged.tag is null; XDR has no null string",
        () -> new Tagged("n", null, null, Color.RED));
    rejects("Tagged.color is null; XDR has no null enum", () -> new Tagged("n", null, "t", null));
    // Optional data says absent with null.
    assertNull(new Bags("n", "", new byte[5], new byte[0], new int[0], new long[3], new double[0],
        new boolean[0], new float[2], List.of(), List.of(new Point(0, 0), new Point(0, 0)), null,
        null, List.of()).maybe());
    assertNull(new Node(1, null).next());
    assertNull(new Tagged("n", null, "t", Color.GREEN).next());
    return "ok";
  }

  private static Bags bags(String name, byte[] fixed, List<Point> points) {
    return new Bags(name, "", fixed, new byte[0], new int[0], new long[3], new double[0],
        new boolean[0], new float[2], points, List.of(new Point(0, 0), new Point(0, 0)), null, null,
        List.of(Color.RED));
  }

  private static void rejects(String message, Executable construction) {
    assertEquals(message + ", only optional data (T *) may be null",
        assertThrows(NullPointerException.class, construction).getMessage());
  }
}
