package shop;

@NumberedInOrder
public sealed interface Outcome permits Outcome.Done, Outcome.Failed {
  record Done(long done) implements Outcome {}

  record Failed(int code, String why) implements Outcome {}
}
