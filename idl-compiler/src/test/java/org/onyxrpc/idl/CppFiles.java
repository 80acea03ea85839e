package org.onyxrpc.idl;

import java.util.ArrayList;
import java.util.List;
import org.onyxrpc.idl.RpcgenGrammar.Case;

/**
 * Whole {@code .x} files that lean on cpp as real ones do ({@link CppFilesTest}): macros as
 * sizes and constants, function-like and nested macros, {@code #if} arithmetic, rpcgen's
 * {@code RPC_*} symbols, {@code #undef}, continuations, comments in directives, guarded
 * includes, {@code #pragma}, {@code #line}, {@code %} lines in and out of {@code #if}, {@code ##}
 * and {@code #}, variadic macros, {@code #error}, {@code #warning} and {@code __has_include}.
 * Each was written against gcc's cpp (rounds 30 and 31); every name is a file's own, as each is
 * read alone.
 */
final class CppFiles {
  private CppFiles() {}

  static List<Case> all() {
    List<Case> cases = new ArrayList<>();
    add(cases, "object-like macros as sizes and values", """
        #define MAXNAME 255
        #define NSLOTS 8
        #define SLOTS NSLOTS
        const MAXPATH = MAXNAME;
        enum kind { K_FILE = NSLOTS, K_DIR = 9 };
        struct entry { string name<MAXNAME>; int slots[SLOTS]; opaque tag[NSLOTS]; kind k; };
        """);
    add(cases, "function-like and nested macros", """
        #define FIELD(type, name) type name;
        #define PAIR(t) FIELD(t, first) FIELD(t, second)
        #define SIZE_OF(n) n
        #define TWICE(n) SIZE_OF(n)
        struct pair { PAIR(int) FIELD(hyper, third) opaque b<TWICE(16)>; };
        const LIMIT = SIZE_OF(TWICE(7));
        """);
    add(cases, "#if arithmetic, defined and #elif", """
        #define VERSION 3
        #define HAVE_X
        #if VERSION * 2 == 6 && defined(HAVE_X) && !defined HAVE_Y
        const PICK = 1;
        #elif VERSION > 1
        const PICK = 2;
        #else
        const PICK = 3;
        #endif
        #if (VERSION << 2) == 12 && 'a' == 97 && -1 > 0u && 0x10 % 3 == 1 && (1 ? 2 : 1 / 0)
        const ARITH = 12;
        #endif
        #if UNDEFINED_NAME
        const NEVER = 1;
        #elif 0 && (1 / 0)
        const NEVER = 2;
        #endif
        """);
    add(cases, "rpcgen's RPC_HDR in a header-only branch", """
        #ifdef RPC_HDR
        %#define HEADER_ONLY 1
        #endif
        #ifndef RPC_TBL
        const NOT_TBL = 4;
        #endif
        struct hdr { int a; };
        """);
    add(cases, "#undef and a new definition", """
        #define SZ 4
        struct one { int a[SZ]; };
        #undef SZ
        #define SZ 6
        struct two { int a[SZ]; };
        #undef NEVER_DEFINED
        """);
    add(cases, "continuations and comments in directives", """
        #define LONG_NAME \\
           12
        #define COMMENTED /* the value */ 5 /* over
           lines */
        #if LONG_NAME == 12 /* c */ // c
        const CONT = LONG_NAME;
        #endif /* end */
        const COMM = COMMENTED;
        struct cont { int a[LONG_\\
        NAME]; };
        """);
    add(cases, "a guarded include of itself by a macro", """
        #ifndef SELF_GUARD
        #define SELF_GUARD
        #define WHERE __FILE__
        #include WHERE
        struct self { int a[INNER]; };
        #else
        const INNER = 2;
        #endif
        """);
    add(cases, "pragma pack left for C", """
        #pragma pack(4)
        struct packed { int a; };
        """);
    add(cases, "#pragma cpp acts on, and #line", """
        #pragma GCC poison nothing_used
        #define PUSHED 3
        #pragma push_macro("PUSHED")
        #undef PUSHED
        #define PUSHED 5
        struct inner { int a[PUSHED]; };
        #pragma pop_macro("PUSHED")
        struct outer { int a[PUSHED]; };
        #line 100 "renamed.x"
        #define LN 200
        #line LN
        struct lines { int a; };
        """);
    add(cases, "% lines in and out of #if", """
        %#include <stdio.h>
        #if 1
        %#define PT_VALUE 7
        %int pt_on;
        #else
        %int pt_off;
        #endif
        #if 0
        %#error not for C
        #endif
        struct pt { int a; };
        """);
    add(cases, "## and # in macros", """
        #define CAT(a, b) a ## b
        #define XCAT(a, b) CAT(a, b)
        #define PFX my
        #define STR(x) #x
        #define XSTR(x) STR(x)
        const CAT(SIZE_, A) = CAT(1, 6);
        struct XCAT(PFX, _rec) { int CAT(f, 1); opaque CAT(d, ata)<CAT(SIZE_, A)>; };
        const NAME = STR(  two   words  );
        const VALUE = XSTR(SIZE_A);
        """);
    add(cases, "variadic macros in GNU's and C23's forms", """
        #define REC(t, fields...) struct t { int id; fields };
        #define LIST(x, ...) enum x { x##_A = 1 , ## __VA_ARGS__ };
        #define OPT(x, ...) const x = 1 __VA_OPT__(+ 0);
        REC(plain) REC(full, int a; hyper b;)
        LIST(first) LIST(second, second_B = 2)
        OPT(O1)
        """);
    add(cases, "a macro call over several lines", """
        #define MEMBER(type, name) type name;
        struct spread {
          MEMBER(int,
                 a)
          MEMBER(
            hyper, b)
        };
        """);
    add(cases, "#warning", """
        #warning compiled with care
        struct warned { int a; };
        """);
    add(cases, "#error in a taken branch", """
        #define BAD 1
        #if BAD
        #error this configuration is not supported
        #endif
        struct erred { int a; };
        """);
    add(cases, "#error in a skipped branch", """
        #if 0
        #error never
        #endif
        struct kept { int a; };
        """);
    add(cases, "# not before a parameter", """
        #define QUOTE(x) # y
        struct quoted { int a; };
        """);
    add(cases, "#if with no expression", """
        #if
        #endif
        struct empty_if { int a; };
        """);
    add(cases, "program numbers from macros", """
        #define PROG_NUM 0x20000123
        #define VERS_NUM 2
        #define PROC(n) n
        program MACRO_PROG {
          version MACRO_VERS {
            int PING(int) = PROC(1);
          } = VERS_NUM;
        } = PROG_NUM;
        """);
    add(cases, "__has_include of a system header and of none", """
        #if __has_include(<stdio.h>) && !__has_include("no/such/header.h") && defined __has_include
        const HAS_STDIO = 1;
        #else
        const HAS_STDIO = 2;
        #endif
        #if __has_include_next(<stdio.h>)
        const NEXT_STDIO = 1;
        #endif
        struct has { int a; };
        """);
    return cases;
  }

  private static void add(List<Case> cases, String name, String text) {
    cases.add(new Case(name, text, true, true, true));
  }
}
