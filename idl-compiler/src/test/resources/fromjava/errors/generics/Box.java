package generics;

/** A generic record: XDR has no type parameters. */
public record Box<T>(T value) {}
