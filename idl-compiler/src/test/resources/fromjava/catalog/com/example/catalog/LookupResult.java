package com.example.catalog;

import com.example.wire.Wire.Case;

/** What a lookup found. */
public sealed interface LookupResult
    permits LookupResult.Found, LookupResult.Missing, LookupResult.Replaced {
  /** The item. */
  @Case(1)
  record Found(Item found) implements LookupResult {}

  /** No such item, ever. */
  @Case(2)
  record Missing() implements LookupResult {}

  /** The item was replaced by another SKU. */
  @Case(3)
  record Replaced(String replaced) implements LookupResult {}
}
