package clashes;

/** Takes the name of Svc's class. */
public record SvcV1(int x) {}
