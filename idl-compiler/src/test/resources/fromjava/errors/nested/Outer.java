package nested;

/** Outer. */
public record Outer(Inner inner, Mode mode) {
  /** Inner. */
  public record Inner(int a) {}

  /** Mode. */
  @NumberedInOrder
  public enum Mode { ON, OFF }
}
