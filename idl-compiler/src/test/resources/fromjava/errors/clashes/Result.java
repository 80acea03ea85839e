package clashes;

/** Its arms' enum would be ResultKind, which a record already is. */
@NumberedInOrder
public sealed interface Result {
  /** Fine. */
  record Ok(ResultKind ok) implements Result {}
}
