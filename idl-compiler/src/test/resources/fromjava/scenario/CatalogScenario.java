package com.example.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.server.RpcServer;

/**
 * The original implementation, compiled against the Java that idlc generated from the .idl that
 * from-java wrote, served and called over loopback.
 */
public final class CatalogScenario implements Callable<String> {
  @Override
  public String call() throws Exception {
    try (RpcServer server = RpcServer.builder().port(0)
            .addService(CatalogV1.bind(new CatalogImpl())).build().start();
        RpcClient client = RpcClient.builder().address("localhost", server.port()).build()) {
      CatalogV1.Catalog catalog = CatalogV1.newClient(client);
      Item book = catalog.item("BK-1");
      assertEquals(new Item("BK-1", "XDR by example", Category.BOOKS, 2500, 3, null,
          List.of("xdr", "rpc")), book);
      assertEquals("NOPE", assertThrows(NotFound.class, () -> catalog.item("NOPE")).sku());
      assertEquals(new LookupResult.Found(book), catalog.lookup("BK-1"));
      assertEquals(new LookupResult.Replaced("BK-1"), catalog.lookup("OLD-1"));
      assertInstanceOf(LookupResult.Missing.class, catalog.lookup("NOPE"));
      Page first = catalog.list(Category.BOOKS, null, 1);
      assertEquals(List.of(book), first.items());
      assertEquals("BK-1", first.next());
      Page rest = catalog.list(Category.BOOKS, first.next(), 1);
      assertEquals("back in May", rest.items().get(0).note());
      assertNull(rest.next());
      assertEquals(1, catalog.reserve("BK-1", 2));
      OutOfStock out = assertThrows(OutOfStock.class, () -> catalog.reserve("BK-1", 5));
      assertEquals(1, out.available());
      catalog.viewed("MU-1");
      assertArrayEquals("MU-1".getBytes(StandardCharsets.US_ASCII), catalog.thumbnail("MU-1"));
      assertEquals(2, catalog.items(List.of("BK-2", "NOPE", "MU-1")).size());
      assertArrayEquals(new long[] {1099, 1049, 999}, catalog.priceHistory("MU-1"));
      return "ok";
    }
  }
}
