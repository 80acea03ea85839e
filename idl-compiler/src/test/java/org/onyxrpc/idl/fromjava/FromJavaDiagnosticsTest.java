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

  /**
   * Type parameters, wildcards, nested Optionals and types that hold themselves by value have no
   * XDR form: each is an error at its Java position, not an .idl that idlc rejects. A union with
   * an arm that ends ({@code Tree}) may hold itself.
   */
  @Test
  void genericsNestedOptionalsAndEndlessTypesAreErrors() throws Exception {
    JavaToIdl.Result result = convert("generics");
    assertEquals(List.of(), result.files());
    assertEquals("""
        generics/Box.java:4:22: error: cannot map `T` to XDR: it is a type parameter, and XDR has \
        no generics; declare a record for each type it stands for (component `value`)
        generics/Chain.java:4:33: error: `Chain` holds itself through `first` (Chain -> Link -> \
        Chain), so no value of it could end: annotate `first` @Nullable, or make it a List
        generics/Loop.java:7:16: error: `Loop` holds itself through `again` (Loop -> Loop), so no \
        value of it could end: annotate `again` @Nullable, or make it a List
        generics/Node.java:4:31: error: `Node` holds itself through `next` (Node -> Node), so no \
        value of it could end: annotate `next` @Nullable, or make it a List
        generics/Store.java:10:7: error: cannot map `T` to XDR: it is a type parameter, and XDR \
        has no generics; declare a record for each type it stands for (result of `pick`)
        generics/Store.java:10:14: error: cannot map `T` to XDR: it is a type parameter, and XDR \
        has no generics; declare a record for each type it stands for (parameter `value`)
        generics/Store.java:12:3: error: cannot map the wildcard `? extends Box<String>` to XDR: \
        name one type, as `Box<String>` (result of `wild`)
        generics/Store.java:14:3: error: cannot map `Optional<Optional<String>>` to XDR, whose \
        optional-data is absent or present once: a nested Optional would lose which level is \
        empty; wrap the inner one in a record (result of `twice`)
        """, result.diagnostics().format());
  }

  /** Names idlc gives the classes it adds (a union's kind enum, a service's class) must be free. */
  @Test
  void typesTakingTheNamesOfGeneratedClassesAreErrors() throws Exception {
    JavaToIdl.Result result = convert("clashes");
    assertEquals(List.of(), result.files());
    assertEquals("""
        clashes/Result.java:4:1: error: sealed interface `Result` becomes a union switched on a \
        new enum `ResultKind`, but that name is taken by the type declared at \
        clashes/ResultKind.java:4:1: rename one
        clashes/Svc.java:4:1: error: service `Svc` version 1 becomes the Java class `SvcV1`, but \
        that name is taken by the type declared at clashes/SvcV1.java:4:1: rename one
        """, result.diagnostics().format());
  }

  /** A nested record or enum comes back top-level: a warning, as code naming it must change. */
  @Test
  void nestedTypesBecomeTopLevelWithAWarning() throws Exception {
    JavaToIdl.Result result = convert("nested");
    assertEquals("""
        nested/Outer.java:6:3: warning: `Outer.Inner` becomes the top-level type `Inner` of its \
        package, as the .idl has no nested types: code naming `Outer.Inner` must name `Inner`
        nested/Outer.java:9:3: warning: `Outer.Mode` becomes the top-level type `Mode` of its \
        package, as the .idl has no nested types: code naming `Outer.Mode` must name `Mode`
        """, result.diagnostics().format());
    assertEquals(1, result.files().size());
  }

  /**
   * At the token found, as javac and gcc point: JavaParser's problem begins at the token before
   * it (before, {@code Broken.java:4:11}, the '(' of {@code int size(;}), past a comment and a line
   * break (the '{' of line 4, not the 'x' of line 3), and at the end of the input right after its
   * last token.
   */
  @Test
  void syntaxErrorsAreReportedAtTheirPosition() throws Exception {
    JavaToIdl.Result result = convert("syntax");
    assertEquals("""
        syntax/Broken.java:4:12: error: Parse error. Found ";"
        syntax/Spread.java:4:5: error: Parse error. Found "{"
        syntax/Unfinished.java:3:30: error: Parse error. Found <EOF>
        """, result.diagnostics().format());
    assertEquals(List.of(), result.files());
  }
}
