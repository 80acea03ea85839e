package generics;

/** Holds a Link, which holds a Chain back: neither could end. */
public record Chain(int length, Link first) {}
