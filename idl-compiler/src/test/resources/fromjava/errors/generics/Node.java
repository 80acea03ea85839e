package generics;

/** Holds itself. */
public record Node(int value, Node next) {}
