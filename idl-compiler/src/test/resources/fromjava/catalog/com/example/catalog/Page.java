package com.example.catalog;

import com.example.wire.Wire.Nullable;
import com.example.wire.Wire.Size;
import java.util.List;

/**
 * One page of a listing.
 *
 * @param items at most the limit asked for
 * @param next the SKU to continue after, or null at the end
 */
public record Page(@Size(max = 1000) List<Item> items, @Nullable String next) {}
