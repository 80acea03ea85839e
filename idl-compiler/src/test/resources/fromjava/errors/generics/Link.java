package generics;

import java.util.List;

/** Holds a Chain by value; the list and the nullable one are fine. */
public record Link(Chain chain, List<Link> others, @Nullable Link next) {}
