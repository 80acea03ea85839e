package com.example.catalog;

/** Fewer units are in stock than asked for. */
public final class OutOfStock extends Exception {
  private static final long serialVersionUID = 1L;

  /** The item. */
  private final String sku;
  /** Units still in stock. */
  private final int available;

  public OutOfStock(String sku, int available) {
    super(sku + ": only " + available + " left");
    this.sku = sku;
    this.available = available;
  }

  public String sku() {
    return sku;
  }

  public int available() {
    return available;
  }
}
