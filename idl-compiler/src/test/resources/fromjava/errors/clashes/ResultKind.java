package clashes;

/** Takes the name of the enum of Result's arms. */
public record ResultKind(int a) {}
