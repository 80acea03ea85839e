package org.onyxrpc.examples.javafirst;

import org.onyxrpc.examples.javafirst.Wire.Nullable;
import org.onyxrpc.examples.javafirst.Wire.Size;

/**
 * A part in stock.
 *
 * @param id the part number
 * @param name what it is called
 * @param kind what kind of part it is
 * @param stock units on the shelf
 * @param note a remark, or null
 */
public record Part(
    @Size(max = 32) String id, String name, Kind kind, int stock, @Nullable String note) {}
