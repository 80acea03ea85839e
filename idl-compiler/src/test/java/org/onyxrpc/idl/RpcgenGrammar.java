package org.onyxrpc.idl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Small {@code .x} snippets, one construct each, made from rpcgen's grammar (rpcsvc-proto's
 * {@code rpc_parse.c} and {@code rpc_scan.c}): every type spelling {@code get_type} and {@code
 * unsigned_dec} read, in every place a declaration goes ({@code get_declaration}, {@code
 * get_prog_declaration}, a result, a discriminant) and with every declarator, then each
 * definition's own forms and each token's spellings. {@link RpcgenGrammarTest} gives each to
 * rpcgen (and gcc) and to idlc.
 *
 * <p>A snippet writes {@code $} where its own names end: each run makes it a suffix of the
 * snippet's ({@code _z17}), so that many snippets share one rpcgen run and one C translation
 * unit. Every snippet sees {@link #PRELUDE}'s names. Those rpcgen must read alone (their macros
 * would reach the others) say so.
 */
final class RpcgenGrammar {
  private RpcgenGrammar() {}

  /**
   * One snippet. {@code alone}: rpcgen must read it in a file of its own and its C is a
   * translation unit of its own (its names meet C's or libtirpc's, or rpcgen loops on it); {@code
   * cpp}: read through the real cpp too (it defines macros or plays with the lexer); {@code data}:
   * its types may join the XDR comparison.
   */
  record Case(String name, String text, boolean alone, boolean data, boolean cpp) {
    @Override
    public String toString() {
      return name;
    }

    /** The text with its names made unique by {@code suffix} (and U+0001 made a {@code $}). */
    String text(String suffix) {
      return text.replace("$", suffix).replace('\u0001', '$');
    }
  }

  /** Declared before every snippet: one type of each kind, a typedef and a constant. */
  static final String PRELUDE = """
      struct p0 { int a; };
      enum e0 { E0A = 1, E0B = 2 };
      union w0 switch (int d) { case 1: int a; default: void; };
      typedef int t0;
      const N0 = 3;
      """;

  /** Every way rpcgen's get_type reads a type, and some it does not. */
  static final List<String> TYPES = List.of(
      "int", "unsigned", "unsigned int", "long", "long int", "unsigned long", "unsigned long int",
      "short", "short int", "unsigned short", "unsigned short int", "char", "unsigned char",
      "hyper", "hyper int", "unsigned hyper", "unsigned hyper int", "float", "double",
      "quadruple", "bool", "string", "opaque", "void", "struct p0", "p0", "enum e0", "e0",
      "w0", "t0", "nosuch", "bool_t", "u_int", "uint64_t",
      "long long", "signed int", "unsigned unsigned", "int unsigned");

  /** The declarators of get_declaration, given to every type. */
  static final List<String> DECLARATORS = List.of("x", "*x", "x[3]", "x<3>");

  /** More declarators, and some rpcgen does not read, given to the types rpcgen treats apart. */
  static final List<String> MORE_DECLARATORS = List.of("x<>", "x[N0]", "*x[3]", "**x", "x[3][4]", "x[]");

  /** The types get_declaration treats apart (void, opaque, string), and one of each other kind. */
  static final List<String> SPECIAL_TYPES = List.of(
      "int", "char", "quadruple", "string", "opaque", "void", "p0", "struct p0");

  /** How a size or a constant may be spelled. */
  static final List<String> NUMBERS = List.of(
      "0", "1", "3", "0x3", "0X3", "0xA", "0xa", "03", "010", "08", "-1", "-0", "N0", "E0B",
      "(3)", "1+2", "'a'", "nosuch", "3u", "3L", "0x", "0x7fffffff", "0x80000000",
      "0xffffffff", "4294967295", "4294967296", "0xffffffffffffffff", "-", "--1", "+1", "1e3",
      "-0x3");

  static List<Case> all() {
    Map<String, Case> cases = new LinkedHashMap<>();
    typesAndDeclarators(cases);
    typesElsewhere(cases);
    numbers(cases);
    constants(cases);
    enums(cases);
    structs(cases);
    unions(cases);
    typedefs(cases);
    programs(cases);
    names(cases);
    lexerAndPreprocessor(cases);
    return List.copyOf(cases.values());
  }

  private static void add(Map<String, Case> cases, String name, String text) {
    put(cases, new Case(name, text, false, false, false));
  }

  private static void data(Map<String, Case> cases, String name, String text) {
    put(cases, new Case(name, text, false, true, false));
  }

  private static void alone(Map<String, Case> cases, String name, String text) {
    put(cases, new Case(name, text, true, false, true));
  }

  private static void ownUnit(Map<String, Case> cases, String name, String text) {
    put(cases, new Case(name, text, true, false, false));
  }

  private static void put(Map<String, Case> cases, Case c) {
    if (cases.put(c.name(), c) != null) {
      throw new IllegalStateException("two cases named " + c.name());
    }
  }

  private static String program(String procedures) {
    return "program P$ { version V$ { " + procedures + " } = 1; } = 0x20000001;";
  }

  private static void typesAndDeclarators(Map<String, Case> cases) {
    for (String type : TYPES) {
      for (String declarator : DECLARATORS) {
        data(cases, "member " + type + " " + declarator,
            "struct s$ { " + type + " " + declarator + "; };");
      }
    }
    for (String type : SPECIAL_TYPES) {
      for (String declarator : MORE_DECLARATORS) {
        data(cases, "member " + type + " " + declarator,
            "struct s$ { " + type + " " + declarator + "; };");
      }
    }
  }

  private static void typesElsewhere(Map<String, Case> cases) {
    for (String type : TYPES) {
      data(cases, "typedef " + type + " x", "typedef " + type + " x$;");
      data(cases, "arm " + type + " x",
          "union u$ switch (int d) { case 1: " + type + " x; default: void; };");
      data(cases, "discriminant " + type,
          "union u$ switch (" + type + " d) { case 1: int a; default: void; };");
      add(cases, "argument " + type, program("int F$(" + type + ") = 1;"));
      add(cases, "argument " + type + " *", program("int F$(" + type + " *) = 1;"));
      add(cases, "result " + type, program(type + " F$(int) = 1;"));
    }
  }

  private static void numbers(Map<String, Case> cases) {
    for (String n : NUMBERS) {
      data(cases, "fixed array [" + n + "]", "struct s$ { int x[" + n + "]; };");
      data(cases, "variable array <" + n + ">", "struct s$ { int x<" + n + ">; };");
      add(cases, "const = " + n, "const C$ = " + n + ";");
      data(cases, "enum value = " + n, "enum e$ { A$ = " + n + " };");
      data(cases, "case " + n, "union u$ switch (int d) { case " + n + ": int a; default: void; };");
      add(cases, "program number " + n,
          "program P$ { version V$ { int F$(int) = 1; } = 1; } = " + n + ";");
      add(cases, "procedure number " + n, program("int F$(int) = " + n + ";"));
      add(cases, "version number " + n,
          "program P$ { version V$ { int F$(int) = 1; } = " + n + "; } = 0x20000001;");
    }
  }

  private static void constants(Map<String, Case> cases) {
    add(cases, "const string", "const C$ = \"text\";");
    add(cases, "const string with escape", "const C$ = \"a\\\"b\";");
    add(cases, "const of const", "const C$ = N0; struct s$ { int x[C$]; };");
    add(cases, "const of later const", "const C$ = D$; const D$ = 2;");
    add(cases, "const without value", "const C$;");
    add(cases, "const without =", "const C$ 3;");
    add(cases, "const of enum value", "const C$ = E0A;");
    add(cases, "const twice", "const C$ = 1; const C$ = 1;");
    add(cases, "const twice, two values", "const C$ = 1; const C$ = 2;");
    add(cases, "const without ;", "const C$ = 1");
    ownUnit(cases, "const named like a type", "const p0 = 1;");
  }

  private static void enums(Map<String, Case> cases) {
    data(cases, "enum one value", "enum e$ { A$ };");
    data(cases, "enum values implied", "enum e$ { A$, B$, C$ };");
    data(cases, "enum values mixed", "enum e$ { A$ = 5, B$, C$ = 1 };");
    add(cases, "enum empty", "enum e$ { };");
    add(cases, "enum trailing comma", "enum e$ { A$, };");
    add(cases, "enum value without number", "enum e$ { A$ = };");
    data(cases, "enum value of own constant", "enum e$ { A$ = 1, B$ = A$ };");
    data(cases, "enum duplicate values", "enum e$ { A$ = 1, B$ = 1 };");
    add(cases, "enum duplicate names", "enum e$ { A$ = 1, A$ = 2 };");
    add(cases, "enum constant of another enum", "enum e$ { E0A = 1 };");
    add(cases, "enum without ;", "enum e$ { A$ }");
    add(cases, "enum without name", "enum { A$ };");
    add(cases, "enum semicolons", "enum e$ { A$; B$ };");
    add(cases, "enum twice", "enum e$ { A$ }; enum e$ { B$ };");
    data(cases, "enum negative implied", "enum e$ { A$ = -2, B$, C$ };");
  }

  private static void structs(Map<String, Case> cases) {
    add(cases, "struct empty", "struct s$ { };");
    data(cases, "struct two members", "struct s$ { int a; int b; };");
    add(cases, "struct duplicate member", "struct s$ { int a; int a; };");
    add(cases, "struct void member", "struct s$ { void; };");
    add(cases, "struct void named member", "struct s$ { void a; };");
    add(cases, "struct member without ;", "struct s$ { int a };");
    add(cases, "struct without ;", "struct s$ { int a; }");
    add(cases, "struct without name", "struct { int a; };");
    add(cases, "struct inline struct member", "struct s$ { struct { int a; } x; };");
    add(cases, "struct inline enum member", "struct s$ { enum { A$ } x; };");
    add(cases, "struct recursive", "struct s$ { s$ next; };");
    data(cases, "struct recursive optional", "struct s$ { int v; s$ *next; };");
    data(cases, "struct recursive optional keyword", "struct s$ { int v; struct s$ *next; };");
    data(cases, "struct mutual optional",
        "struct a$ { int v; b$ *b; }; struct b$ { int w; a$ *a; };");
    add(cases, "struct twice", "struct s$ { int a; }; struct s$ { int a; };");
    add(cases, "struct and typedef one name", "struct s$ { int a; }; typedef int s$;");
    add(cases, "struct member of later type", "struct s$ { l$ x; }; struct l$ { int a; };");
    add(cases, "struct member named like its type", "struct s$ { p0 p0; };");
    add(cases, "struct member named like a type", "struct s$ { int p0; };");
    add(cases, "struct member named like a constant", "struct s$ { int N0; };");
    add(cases, "struct member named like an enum constant", "struct s$ { int E0A; };");
    add(cases, "struct named like a constant", "struct N0 { int a; };");
    add(cases, "struct member default", "struct s$ { int default; };");
    add(cases, "struct semicolon only", "struct s$ { ; };");
    add(cases, "struct two declarators", "struct s$ { int a, b; };");
    add(cases, "struct initializer", "struct s$ { int a = 1; };");
  }

  private static void unions(Map<String, Case> cases) {
    String head = "union u$ switch (int d) { ";
    data(cases, "union several labels", head + "case 1: case 2: int a; default: void; };");
    data(cases, "union no default", head + "case 1: int a; };");
    data(cases, "union void arm", head + "case 1: void; case 2: int a; };");
    add(cases, "union default only", head + "default: int a; };");
    add(cases, "union default first", head + "default: void; case 1: int a; };");
    add(cases, "union default middle", head + "case 1: int a; default: void; case 2: int b; };");
    add(cases, "union two defaults", head + "case 1: int a; default: void; default: void; };");
    add(cases, "union empty", head + "};");
    add(cases, "union duplicate label", head + "case 1: int a; case 1: int b; };");
    add(cases, "union duplicate arm name", head + "case 1: int a; case 2: int a; };");
    add(cases, "union arm named like the discriminant", head + "case 1: int d; };");
    data(cases, "union label const", head + "case N0: int a; default: void; };");
    add(cases, "union label enum value on int", head + "case E0A: int a; default: void; };");
    data(cases, "union label hex", head + "case 0x10: int a; default: void; };");
    data(cases, "union label octal", head + "case 010: int a; case 8: int b; };");
    add(cases, "union label char on int", head + "case 'a': int a; };");
    add(cases, "union label TRUE on int", head + "case TRUE: int a; };");
    data(cases, "union on enum", "union u$ switch (e0 d) { case E0A: int a; case E0B: void; };");
    add(cases, "union on enum, number label", "union u$ switch (e0 d) { case 1: int a; };");
    add(cases, "union on enum, label of another enum",
        "enum f$ { F$ = 7 }; union u$ switch (e0 d) { case F$: int a; };");
    add(cases, "union on enum, default only", "union u$ switch (e0 d) { default: int a; };");
    data(cases, "union on bool", "union u$ switch (bool d) { case TRUE: int a; case FALSE: void; };");
    add(cases, "union on bool, 1", "union u$ switch (bool d) { case 1: int a; };");
    add(cases, "union on bool, true", "union u$ switch (bool d) { case true: int a; };");
    data(cases, "union on char, 'a'", "union u$ switch (char d) { case 'a': int a; default: void; };");
    add(cases, "union on char, -1", "union u$ switch (char d) { case -1: int a; default: void; };");
    add(cases, "union on char, 255", "union u$ switch (char d) { case 255: int a; default: void; };");
    add(cases, "union on char, -1 and 255",
        "union u$ switch (char d) { case -1: int a; case 255: int b; };");
    add(cases, "union on char, 256", "union u$ switch (char d) { case 256: int a; };");
    add(cases, "union on char, -129", "union u$ switch (char d) { case -129: int a; };");
    add(cases, "union on unsigned char, -1", "union u$ switch (unsigned char d) { case -1: int a; };");
    add(cases, "union on short, 40000", "union u$ switch (short d) { case 40000: int a; };");
    add(cases, "union on unsigned, -1", "union u$ switch (unsigned d) { case -1: int a; };");
    data(cases, "union on unsigned, 0xffffffff",
        "union u$ switch (unsigned d) { case 0xffffffff: int a; default: void; };");
    add(cases, "union on int, 0x80000000", head + "case 0x80000000: int a; };");
    add(cases, "union on int, 0xffffffff", head + "case 0xffffffff: int a; };");
    add(cases, "union on int, -0x1", head + "case -0x1: int a; };");
    data(cases, "union on hyper, big label",
        "union u$ switch (hyper d) { case 4294967296: int a; default: void; };");
    add(cases, "union discriminant optional", "union u$ switch (int *d) { case 1: int a; };");
    add(cases, "union discriminant array", "union u$ switch (int d[2]) { case 1: int a; };");
    add(cases, "union discriminant without name", "union u$ switch (int) { case 1: int a; };");
    add(cases, "union discriminant void", "union u$ switch (void) { case 1: int a; };");
    add(cases, "union without switch", "union u$ { case 1: int a; };");
    add(cases, "union arm without ;", head + "case 1: int a };");
    add(cases, "union label without :", head + "case 1 int a; };");
    add(cases, "union label expression", head + "case 1+1: int a; };");
    add(cases, "union label (1)", head + "case (1): int a; };");
    add(cases, "union arm optional", head + "case 1: p0 *a; default: void; };");
    data(cases, "union arm fixed opaque", head + "case 1: opaque a[3]; default: void; };");
    data(cases, "union arm recursive optional", head + "case 1: u$ *next; default: void; };");
    add(cases, "union arm recursive", head + "case 1: u$ next; default: void; };");
    // C's tags of the wrong kind ("union w0" of rpcgen's "struct w0") unsettle gcc for the
    // snippets after them: alone.
    ownUnit(cases, "member struct t0 x", "struct s$ { struct t0 x; };");
    ownUnit(cases, "member enum p0 x", "struct s$ { enum p0 x; };");
    ownUnit(cases, "member union w0 x", "struct s$ { union w0 x; };");
    ownUnit(cases, "argument union w0", program("int F$(union w0) = 1;"));
    ownUnit(cases, "result enum p0", program("enum p0 F$(int) = 1;"));
    ownUnit(cases, "union keyword as type", "union u$ switch (int d) { case 1: int a; }; "
        + "struct s$ { union u$ x; };");
  }

  private static void typedefs(Map<String, Case> cases) {
    add(cases, "typedef void", "typedef void;");
    add(cases, "typedef inline struct", "typedef struct { int a; } x$;");
    add(cases, "typedef inline enum", "typedef enum { A$ } x$;");
    add(cases, "typedef inline union",
        "typedef union switch (int d) { case 1: int a; } x$;");
    data(cases, "typedef struct name same name", "struct s$ { int a; }; typedef struct s$ s$;");
    data(cases, "typedef of typedef", "typedef t0 x$; struct s$ { x$ a; };");
    add(cases, "typedef optional of optional", "typedef p0 *x$; struct s$ { x$ *a; };");
    ownUnit(cases, "typedef self", "typedef x$ x$;");
    ownUnit(cases, "typedef cycle", "typedef a$ b$; typedef b$ a$;");
    add(cases, "typedef twice", "typedef int x$; typedef int x$;");
    add(cases, "typedef twice, two types", "typedef int x$; typedef hyper x$;");
    add(cases, "typedef without name", "typedef int;");
    add(cases, "typedef without ;", "typedef int x$");
    data(cases, "typedef array of typedef array", "typedef int x$<3>; typedef x$ y$[2];");
    data(cases, "typedef string used", "typedef string x$<5>; struct s$ { x$ a; x$ b<2>; };");
    data(cases, "typedef opaque used", "typedef opaque x$[5]; struct s$ { x$ a[2]; };");
    for (String reserved : List.of("array", "bytes", "destroy", "free", "getpos", "inline",
        "pointer", "reference", "setpos", "sizeof", "vector", "string", "opaque")) {
      // Their xdr_ routines would meet libtirpc's (check_type_name's reason) in every snippet.
      ownUnit(cases, "typedef named " + reserved, "typedef int " + reserved + ";");
      ownUnit(cases, "struct named " + reserved, "struct " + reserved + " { int a; };");
    }
  }

  private static void programs(Map<String, Case> cases) {
    add(cases, "procedure ()", program("int F$() = 1;"));
    add(cases, "procedure (void)", program("int F$(void) = 1;"));
    add(cases, "procedure void (void)", program("void F$(void) = 1;"));
    add(cases, "procedure (void, int)", program("int F$(void, int) = 1;"));
    add(cases, "procedure (int, void)", program("int F$(int, void) = 1;"));
    add(cases, "procedure (int, int)", program("int F$(int, int) = 1;"));
    add(cases, "procedure (int a, int b)", program("int F$(int a, int b) = 1;"));
    add(cases, "procedure (int a, int a)", program("int F$(int a, int a) = 1;"));
    add(cases, "procedure (p0, e0, w0)", program("int F$(p0, e0, w0) = 1;"));
    add(cases, "procedure (string, string)", program("int F$(string, string) = 1;"));
    add(cases, "procedure (string s<5>)", program("int F$(string s<5>) = 1;"));
    add(cases, "procedure (string<5> s)", program("int F$(string<5> s) = 1;"));
    add(cases, "procedure (p0 *a)", program("int F$(p0 *a) = 1;"));
    add(cases, "procedure (p0 a *)", program("int F$(p0 a *) = 1;"));
    add(cases, "procedure (p0 a *, int b)", program("int F$(p0 a *, int b) = 1;"));
    add(cases, "procedure (p0 a * b)", program("int F$(p0 a * b) = 1;"));
    add(cases, "procedure (p0 a * b, int c)", program("int F$(p0 a * b, int c) = 1;"));
    add(cases, "procedure (p0 a * *)", program("int F$(p0 a * *) = 1;"));
    add(cases, "procedure (int a[3])", program("int F$(int a[3]) = 1;"));
    add(cases, "procedure (,)", program("int F$(,) = 1;"));
    add(cases, "procedure (int,)", program("int F$(int,) = 1;"));
    add(cases, "procedure without number", program("int F$(int);"));
    add(cases, "procedure without ;", program("int F$(int) = 1"));
    add(cases, "procedure 0 with result", program("int F$(void) = 0;"));
    add(cases, "procedure 0 with argument", program("void F$(int) = 0;"));
    add(cases, "procedure numbers duplicate", program("int F$(int) = 1; int G$(int) = 1;"));
    add(cases, "procedure names duplicate", program("int F$(int) = 1; int F$(int) = 2;"));
    ownUnit(cases, "procedure named like a type", program("int p0(int) = 1;"));
    ownUnit(cases, "procedure named like a constant", program("int N0(int) = 1;"));
    ownUnit(cases, "type named like a program",
        "program P$ { version V$ { int F$(int) = 1; } = 1; } = 0x20000001; enum P$ { PA$ = 1 };");
    add(cases, "procedure named like its argument type",
        "struct g$ { int a; }; " + program("int g$(g$) = 1;"));
    add(cases, "procedure result struct keyword", program("struct p0 F$(int) = 1;"));
    add(cases, "procedure argument struct keyword", program("int F$(struct p0) = 1;"));
    add(cases, "procedure argument struct keyword named", program("int F$(struct p0 a) = 1;"));
    add(cases, "procedure argument named void", program("int F$(void a) = 1;"));
    add(cases, "procedure two versions", "program P$ { version V$ { int F$(int) = 1; } = 1; "
        + "version W$ { int F$(int) = 1; hyper G$(hyper) = 2; } = 2; } = 0x20000001;");
    add(cases, "procedure same name in two programs", "program P$ { version V$ { int F$(int) = 1; }"
        + " = 1; } = 0x20000001; program Q$ { version W$ { int F$(int) = 1; } = 1; } = 0x20000002;");
    add(cases, "version empty", "program P$ { version V$ { } = 1; } = 0x20000001;");
    add(cases, "program empty", "program P$ { } = 0x20000001;");
    add(cases, "version numbers duplicate", "program P$ { version V$ { int F$(int) = 1; } = 1; "
        + "version W$ { int G$(int) = 1; } = 1; } = 0x20000001;");
    add(cases, "version names duplicate", "program P$ { version V$ { int F$(int) = 1; } = 1; "
        + "version V$ { int G$(int) = 1; } = 2; } = 0x20000001;");
    add(cases, "version without name", "program P$ { version { int F$(int) = 1; } = 1; } = 0x20000001;");
    add(cases, "version 1 { } (Onyx's syntax)", "program P$ { version 1 { int F$(int) = 1; }; } = 0x20000001;");
    add(cases, "version without number", "program P$ { version V$ { int F$(int) = 1; }; } = 0x20000001;");
    add(cases, "version without ;", "program P$ { version V$ { int F$(int) = 1; } = 1 } = 0x20000001;");
    add(cases, "program without number", "program P$ { version V$ { int F$(int) = 1; } = 1; };");
    add(cases, "program without ;", "program P$ { version V$ { int F$(int) = 1; } = 1; } = 0x20000001");
    add(cases, "programs numbers duplicate", program("int F$(int) = 1;")
        + " program Q$ { version W$ { int G$(int) = 1; } = 1; } = 0x20000001;");
    ownUnit(cases, "program named like a type", "program p0 { version V$ { int F$(int) = 1; } = 1; }"
        + " = 0x20000001;");
    add(cases, "program number const", "const PN$ = 0x20000001; program P$ { version V$ "
        + "{ int F$(int) = 1; } = 1; } = PN$;");
    add(cases, "procedure number const", "const FN$ = 4; " + program("int F$(int) = FN$;"));
    add(cases, "procedure number enum value", program("int F$(int) = E0B;"));
    add(cases, "procedure oneway (Onyx's syntax)", program("oneway void F$(int) = 1;"));
    add(cases, "procedure result opaque[3]", program("opaque[3] F$(int) = 1;"));
    add(cases, "procedure result opaque<>", program("opaque<> F$(int) = 1;"));
    add(cases, "procedure result string<>", program("string<> F$(int) = 1;"));
    add(cases, "procedure result int[3]", program("int[3] F$(int) = 1;"));
  }

  /** Keywords of rpcgen, of Onyx, of C and of Java, and rpcgen's check_type_name's words. */
  private static void names(Map<String, Case> cases) {
    List<String> words = new ArrayList<>(List.of(
        // rpcgen's keywords
        "const", "union", "switch", "case", "default", "struct", "typedef", "enum", "opaque",
        "bool", "void", "char", "int", "unsigned", "short", "long", "hyper", "float", "double",
        "string", "program", "version",
        // RFC 4506 and Onyx, not rpcgen's
        "quadruple", "package", "import", "service", "exception", "oneway", "throws",
        "namespace", "pragma", "TRUE", "FALSE",
        // C's and Java's
        "while", "class", "record", "sealed", "var", "yield", "Object", "String", "_", "a_b_",
        "__x", "X_", "Integer", "null", "true", "false", "signed", "static", "new",
        // rpcgen's check_type_name
        "array", "bytes", "free", "vector", "sizeof"));
    for (String word : words) {
      add(cases, "member named " + word, "struct s$ { int " + word + "; };");
      add(cases, "enum constant named " + word, "enum e$ { " + word + " = 9 };");
    }
    add(cases, "member named sizeof used as type", "struct s$ { sizeof x; };");
    ownUnit(cases, "type named quadruple", "struct quadruple { int a; }; struct s$ { quadruple q; };");
    ownUnit(cases, "typedef named quadruple", "typedef int quadruple;");
    add(cases, "identifier with digits", "struct s$9 { int a9_; };");
    add(cases, "identifier starting with a digit", "struct 9s$ { int a; };");
    add(cases, "identifier starting with _", "struct _s$ { int _a; };");
    add(cases, "long identifier", "struct s$" + "x".repeat(90) + " { int a; };");
  }

  private static void lexerAndPreprocessor(Map<String, Case> cases) {
    alone(cases, "comment /* */", "/* a */ struct s$ { int a; /* b */ };");
    alone(cases, "comment over lines", "/*\n * a\n */\nstruct s$ {\n int a; /* b\n c */\n};");
    alone(cases, "comment //", "// a\nstruct s$ { int a; };");
    alone(cases, "comment // after code", "struct s$ { int a; }; // a");
    alone(cases, "comment nested", "/* a /* b */ struct s$ { int a; };");
    alone(cases, "comment unterminated", "struct s$ { int a; }; /* a");
    alone(cases, "comment /** doc */", "/** doc */ struct s$ { int a; };");
    alone(cases, "% line", "%#include <stdio.h>\nstruct s$ { int a; };");
    alone(cases, "% line indented", "  %#include <stdio.h>\nstruct s$ { int a; };");
    alone(cases, "% after code", "struct s$ { int a; }; %int x;");
    alone(cases, "% define used", "%#define M$ 4\nstruct s$ { int a[M$]; };");
    alone(cases, "#define used as size", "#define M$ 4\nstruct s$ { int a[M$]; };");
    alone(cases, "#define used as type", "#define T$ int\nstruct s$ { T$ a; };");
    alone(cases, "#define function-like", "#define F$(t, n) t n;\nstruct s$ { F$(int, a) };");
    alone(cases, "#define continued", "#define M$ \\\n 4\nstruct s$ { int a[M$]; };");
    alone(cases, "#ifdef RPC_HDR", "#ifdef RPC_HDR\n%int x;\n#endif\nstruct s$ { int a; };");
    alone(cases, "#if 0", "#if 0\nnonsense\n#endif\nstruct s$ { int a; };");
    alone(cases, "#if unterminated", "#if 1\nstruct s$ { int a; };");
    alone(cases, "#pragma", "#pragma once\nstruct s$ { int a; };");
    alone(cases, "#ident", "#ident \"x\"\nstruct s$ { int a; };");
    alone(cases, "# line marker", "# 1 \"other.x\"\nstruct s$ { int a; };");
    alone(cases, "#line", "#line 7\nstruct s$ { int a; };");
    alone(cases, "#include missing", "#include \"missing$.x\"\nstruct s$ { int a; };");
    alone(cases, "#error", "#error stop\nstruct s$ { int a; };");
    alone(cases, "#warning", "#warning careful\nstruct s$ { int a; };");
    alone(cases, "#undef", "#define M$ 4\n#undef M$\nconst M$ = 5;");
    alone(cases, "# indented", "  #define M$ 4\nstruct s$ { int a[M$]; };");
    alone(cases, "CRLF lines", "struct s$ {\r\n int a;\r\n};\r\n");
    alone(cases, "tabs and form feeds", "struct\ts$\f{\tint a; };");
    alone(cases, "no newline at the end", "struct s$ { int a; };");
    alone(cases, "character $", "struct s$ { int a\u0001b; };");
    alone(cases, "character @", "struct s$ { int a@b; };");
    alone(cases, "character non-ASCII", "struct s$ { int caf\u00e9; };");
    alone(cases, "character '", "struct s$ { int a'; };");
    alone(cases, "string const unterminated", "const C$ = \"abc;");
    alone(cases, "char const in case, escape", "union u$ switch (char d) { case '\\n': int a; };");
    alone(cases, "char const in case, two characters", "union u$ switch (char d) { case 'ab': int a; };");
    alone(cases, "char const in case, empty", "union u$ switch (char d) { case '': int a; };");
    alone(cases, "only ;", ";");
    alone(cases, "definitions on one line", "struct a$ { int a; }; struct b$ { a$ x; };");
  }
}
