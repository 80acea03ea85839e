package com.example.catalog;

/** No item has that SKU. */
public final class NotFound extends Exception {
  private static final long serialVersionUID = 1L;

  private final String sku;

  public NotFound(String sku) {
    super("no item " + sku);
    this.sku = sku;
  }

  public String sku() {
    return sku;
  }
}
