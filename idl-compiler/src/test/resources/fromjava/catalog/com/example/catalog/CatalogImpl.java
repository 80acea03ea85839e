package com.example.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/** The implementation written against the original Java interface, before any IDL existed. */
public final class CatalogImpl implements Catalog {
  private final Map<String, Item> items = new TreeMap<>();
  private final Map<String, String> replacedBy = Map.of("OLD-1", "BK-1");
  final ConcurrentLinkedQueue<String> views = new ConcurrentLinkedQueue<>();

  public CatalogImpl() {
    add(new Item("BK-1", "XDR by example", Category.BOOKS, 2500, 3, null, List.of("xdr", "rpc")));
    add(new Item("BK-2", "ONC RPC", Category.BOOKS, 4000, 0, "back in May", List.of()));
    add(new Item("MU-1", "Sockets", Category.MUSIC, 999, 10, null, List.of("loud")));
  }

  private void add(Item item) {
    items.put(item.sku(), item);
  }

  @Override
  public synchronized Item item(String sku) throws NotFound {
    Item item = items.get(sku);
    if (item == null) {
      throw new NotFound(sku);
    }
    return item;
  }

  @Override
  public synchronized LookupResult lookup(String sku) {
    Item item = items.get(sku);
    if (item != null) {
      return new LookupResult.Found(item);
    }
    String replacement = replacedBy.get(sku);
    return replacement != null ? new LookupResult.Replaced(replacement) : new LookupResult.Missing();
  }

  @Override
  public synchronized Page list(Category category, String after, int limit) {
    List<Item> page = new ArrayList<>();
    String next = null;
    for (Item item : items.values()) {
      if (item.category() != category || after != null && item.sku().compareTo(after) <= 0) {
        continue;
      }
      if (page.size() == limit) {
        next = page.get(page.size() - 1).sku();
        break;
      }
      page.add(item);
    }
    return new Page(page, next);
  }

  @Override
  public synchronized int reserve(String sku, int count) throws NotFound, OutOfStock {
    Item item = item(sku);
    if (item.stock() < count) {
      throw new OutOfStock(sku, item.stock());
    }
    Item left = new Item(item.sku(), item.name(), item.category(), item.priceCents(),
        item.stock() - count, item.note(), item.tags());
    add(left);
    return left.stock();
  }

  @Override
  public void viewed(String sku) {
    views.add(sku);
  }

  @Override
  public byte[] thumbnail(String sku) throws NotFound {
    return item(sku).sku().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  @Override
  public synchronized List<Item> items(List<String> skus) {
    List<Item> found = new ArrayList<>();
    for (String sku : skus) {
      if (items.containsKey(sku)) {
        found.add(items.get(sku));
      }
    }
    return found;
  }

  @Override
  public long[] priceHistory(String sku) throws NotFound {
    long price = item(sku).priceCents();
    return new long[] {price + 100, price + 50, price};
  }
}
