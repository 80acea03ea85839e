package com.example.catalog;

import com.example.wire.Wire.Value;

/** Where an item is listed. */
public enum Category {
  /** Printed and e-books. */
  @Value(1) BOOKS,
  @Value(2) MUSIC,
  @Value(3) GAMES
}
