package com.example.catalog;

import com.example.wire.Wire.Idempotent;
import com.example.wire.Wire.Nullable;
import com.example.wire.Wire.Oneway;
import com.example.wire.Wire.Procedure;
import com.example.wire.Wire.Program;
import com.example.wire.Wire.Size;
import com.example.wire.Wire.Version;
import java.util.List;

/** A product catalog: look items up, list them a page at a time, reserve stock. */
@Program(0x20000410)
@Version(1)
public interface Catalog {
  /** The item with that SKU. */
  @Idempotent
  @Procedure(1)
  Item item(@Size(max = 16) String sku) throws NotFound;

  /** Looks an item up and says why when there is none. */
  @Idempotent
  @Procedure(2)
  LookupResult lookup(@Size(max = 16) String sku);

  /** Up to {@code limit} items of a category after the SKU {@code after} (null: from the start). */
  @Idempotent
  @Procedure(3)
  Page list(Category category, @Nullable @Size(max = 16) String after, int limit);

  /**
   * Takes {@code count} units out of stock and returns how many are left.
   *
   * @param sku the item to take from
   * @param count how many units, more than
   *     zero
   * @return the units left
   * @throws NotFound when no item has that SKU
   * @throws OutOfStock when fewer than {@code count}
   *     units are left
   * @throws IllegalArgumentException when {@code count} is not positive
   */
  @Procedure(4)
  int reserve(@Size(max = 16) String sku, int count) throws NotFound, OutOfStock;

  /** Tells the catalog that someone looked at an item; nothing comes back. */
  @Oneway
  @Procedure(5)
  void viewed(@Size(max = 16) String sku);

  /** The item's thumbnail, a PNG of at most 64 KiB. */
  @Idempotent
  @Procedure(6)
  @Size(max = 65536)
  byte[] thumbnail(@Size(max = 16) String sku) throws NotFound;

  /** The SKUs of several items at once. */
  @Procedure(7)
  List<Item> items(@Size(max = 100) List<String> skus);

  /** Prices of the last days, in cents, oldest first. */
  @Idempotent
  @Procedure(8)
  long[] priceHistory(@Size(max = 16) String sku) throws NotFound;
}
