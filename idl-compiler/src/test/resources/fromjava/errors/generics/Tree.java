package generics;

/** A union whose arm holds the union itself, fine: a Leaf ends it. */
@NumberedInOrder
public sealed interface Tree {
  /** A leaf. */
  record Leaf(int leaf) implements Tree {}

  /** A branch. */
  record Branch(Tree branch) implements Tree {}
}
