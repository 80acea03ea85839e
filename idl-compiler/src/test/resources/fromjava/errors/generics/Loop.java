package generics;

/** A union whose only arm holds the union itself: no value could end. */
@NumberedInOrder
public sealed interface Loop {
  /** Again. */
  record Again(Loop again) implements Loop {}
}
