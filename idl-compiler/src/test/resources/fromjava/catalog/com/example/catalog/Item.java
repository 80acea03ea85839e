package com.example.catalog;

import com.example.wire.Wire.Nullable;
import com.example.wire.Wire.Size;
import java.util.List;

/**
 * An item for sale.
 *
 * @param sku the stock-keeping unit, unique in the catalog
 * @param name what the customer sees
 * @param category where it is listed
 * @param priceCents the price in cents
 * @param stock units in stock
 * @param note a remark for the customer, if any
 * @param tags search words
 */
public record Item(
    @Size(max = 16) String sku,
    @Size(max = 200) String name,
    Category category,
    long priceCents,
    int stock,
    @Nullable String note,
    List<String> tags) {}
