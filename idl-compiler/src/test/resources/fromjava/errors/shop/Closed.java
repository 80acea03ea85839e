package shop;

public final class Closed extends Exception {
  private static final long serialVersionUID = 1L;
}
