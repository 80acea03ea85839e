package org.onyxrpc.idl.fromjava;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What from-java says about Java it cannot map: every mistake, with the way out, and no .idl. */
class FromJavaDiagnosticsTest {
  private static final Path ERRORS = Path.of("src/test/resources/fromjava/errors");

  private static JavaToIdl.Result convert(String dir) throws Exception {
    try (Stream<Path> files = Files.list(ERRORS.resolve(dir))) {
      return JavaToIdl.convert(ERRORS, files.sorted().toList());
    }
  }

  @Test
  void everyUnmappableTypeAndMissingNumberIsReportedWithTheWayOut() throws Exception {
    JavaToIdl.Result result = convert("shop");
    assertEquals(List.of(), result.files());
    assertEquals("""
        shop/Basket.java:5:36: error: cannot map `List<List<String>>` to XDR: an array element \
        must be a single value; wrap `List<String>` in a record (component `lines`)
        shop/Outcome.java:7:27: error: record `Failed` has 2 components, but a union arm carries \
        one value: give it one component of a record type
        shop/Shop.java:11:3: error: cannot map `Map<String, Basket>` to XDR, which has no maps: \
        use a List of a record with key and value components (result of `baskets`)
        shop/Shop.java:13:3: error: method `basket` has no procedure number: annotate it \
        `@Procedure(N)` with N from 1 (numbers must not change once released), or annotate `Shop` \
        `@NumberedInOrder` to number its methods 1, 2, ... in declaration order
        shop/Shop.java:16:35: error: cannot map `IOException` thrown by `save`: a declared \
        exception must be a class extending Exception among the input files (its fields go on the \
        wire); unchecked exceptions reach clients as errors without being declared
        shop/Shop.java:18:3: error: procedure number 3 of `counts` is also the number of `save`
        shop/Shop.java:19:3: error: cannot map `List<Integer>` to XDR: the generated Java of an \
        array of int is int[]; declare it as int[] (result of `counts`)
        shop/Shop.java:21:3: error: @Oneway method `ping` must return void and throw nothing: no \
        reply is sent
        shop/Shop.java:26:3: warning: `Optional<Basket>` becomes optional-data `Basket *`, whose \
        generated Java is a nullable Basket, not an Optional: code calling isPresent() or get() on \
        it must change
        shop/Shop.java:29:12: error: cannot map `Wallet` to XDR: `Wallet` is not a record, enum, \
        sealed interface or exception among the input files; add its source file, or declare it \
        as one of these (parameter `wallet`)
        shop/Shop.java:29:27: error: cannot map `short` to XDR, whose smallest integer is 32 bits: \
        use int (parameter `cents`)
        shop/Shop.java:31:3: error: method `version` has the name of an IDL keyword, which the \
        .idl cannot use as a name: rename it
        shop/Shop.java:32:16: error: parameter `string` has the name of an IDL keyword, which the \
        .idl cannot use as a name: rename it
        shop/Shop.java:35:23: warning: `IllegalStateException` thrown by `clear` is unchecked and \
        not part of the IDL: a client gets an RpcException (SYSTEM_ERR) when the server throws it
        shop/Status.java:3:22: error: enum constant `OPEN` has no wire value: annotate it \
        `@Value(N)` (values must not change once released), or annotate `Status` \
        `@NumberedInOrder` to number its constants 0, 1, ... in declaration order
        shop/Status.java:3:28: error: enum constant `PAID` has no wire value: annotate it \
        `@Value(N)` (values must not change once released), or annotate `Status` \
        `@NumberedInOrder` to number its constants 0, 1, ... in declaration order
        """, result.diagnostics().format());
  }

  @Test
  void syntaxErrorsAreReportedAtTheirPosition() throws Exception {
    JavaToIdl.Result result = convert("syntax");
    assertEquals("syntax/Broken.java:4:11: error: Parse error. Found \";\"\n",
        result.diagnostics().format());
    assertEquals(List.of(), result.files());
  }
}
