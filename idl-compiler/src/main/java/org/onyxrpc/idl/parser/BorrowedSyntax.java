package org.onyxrpc.idl.parser;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

/**
 * Plain words for the syntax a newcomer brings from Java, C or other IDLs ({@code int[] xs},
 * {@code list<int> xs}, {@code string name;}, {@code int x, y;}, {@code int x = 3;}): each says
 * how XDR writes it, where ANTLR would say only "unexpected '['".
 */
final class BorrowedSyntax {
  private final UnaryOperator<Token> previous;
  private final UnaryOperator<Token> next;

  /** {@code previous} and {@code next}: the visible token before and after one, or null. */
  BorrowedSyntax(UnaryOperator<Token> previous, UnaryOperator<Token> next) {
    this.previous = previous;
    this.next = next;
  }

  /** What to write instead, for a syntax error at {@code offending}; null when it is none of these. */
  String advice(Parser parser, Token offending) {
    Token before = previous.apply(offending);
    if (before == null) {
      return null;
    }
    String text = offending.getType() == Token.EOF ? "" : offending.getText();
    ParserRuleContext context = parser.getContext();
    String optionalArray = "[".equals(text) || "<".equals(text) ? optionalArray(before, offending) : null;
    if (optionalArray != null) {
      return optionalArray;
    }
    if ("*".equals(text) && (before.getType() == IdlParser.STRING || before.getType() == IdlParser.OPAQUE)) {
      return optionalString(before, offending);
    }
    String nameless = ";".equals(text) || ")".equals(text) ? nameless(before, offending) : null;
    if (nameless != null) {
      return nameless;
    }
    return switch (text) {
      case "", ";", "}" -> inProcedure(context) ? null : unbounded(before);
      case "[" -> {
        String brackets = emptyBrackets(before, offending);
        String fixed = brackets != null ? brackets : fixedString(before, offending);
        yield fixed != null ? fixed : secondBound(before, offending);
      }
      case "]" -> sizeless(before);
      case "<" -> isName(before) ? TypeArguments.inDeclaration(before.getText())
          : secondBound(before, offending);
      case "," -> inFields(context) ? "fields end with ';', not ',', and each has its own type:"
          + " 'int x; int y;'" : null;
      // Not Ocamlnet's 'T name => alias', which its own .x files use (corpus/ocamlnet).
      case "=" -> inFields(context) && isName(before) && !followedBy(offending, ">")
          ? "a field has no default value in XDR, which sends every field: end the field at its"
              + " name, '" + before.getText() + ";'"
          : null;
      default -> null;
    };
  }

  /** The words of XDR's built-in types, which a declaration written name first puts second. */
  private static final Set<Integer> BUILT_IN_TYPES = Set.of(IdlParser.INT, IdlParser.HYPER,
      IdlParser.UNSIGNED, IdlParser.FLOAT, IdlParser.DOUBLE, IdlParser.BOOL, IdlParser.STRING,
      IdlParser.OPAQUE, IdlParser.QUADRUPLE);

  /**
   * For a field or parameter written name first, as Go, Rust, Kotlin, Swift and TypeScript write
   * it ({@code count int;}, {@code count: int}), where {@code offending} is the type, which ends
   * the declaration, or the {@code :}: the name; else null. Only where a declaration starts,
   * after '{', ';', '(' or ','.
   */
  Token nameBeforeType(Token offending) {
    Token name = previous.apply(offending);
    Token start = name == null ? null : previous.apply(name);
    if (start == null || !isName(name) || !Set.of("{", ";", "(", ",").contains(start.getText())) {
      return null;
    }
    if (BUILT_IN_TYPES.contains(offending.getType())) {
      Token end = next.apply(offending);
      return end != null && Set.of(";", ",", ")", "}").contains(end.getText()) ? name : null;
    }
    Token type = next.apply(offending);
    return offending.getText().equals(":") && type != null
        && (BUILT_IN_TYPES.contains(type.getType()) || isName(type)) ? name : null;
  }

  /** What a type's arguments may hold: types, names, and the brackets and commas between them. */
  private static final Set<String> IN_TYPE_ARGUMENTS = Set.of("<", ">", ">>", ",", "*", "[", "]");

  /**
   * For a generic type in a procedure's result or parameters ({@code list<int> get(void)},
   * {@code void put(list<Book> xs)}, {@code map<string, int> m(void)}), where the parser, which
   * reads a result or argument {@code T<N>} as an array, stops at a reserved word or ',' between
   * the brackets or at the name after them: what {@link TypeArguments#inProcedure} says of the
   * generic, found as a name and '<' where a result or a parameter starts; else null.
   */
  String typeArgumentsInProcedure(Parser parser, Token offending) {
    // In a version block, the parser may stop before it enters the procedure, deciding which
    // rule the tokens begin.
    ParserRuleContext context = parser.getContext();
    if (!inProcedure(context) && !(context instanceof IdlParser.VersionDefContext)) {
      return null;
    }
    Token t = previous.apply(offending);
    for (int steps = 0; t != null && steps < 12; steps++, t = previous.apply(t)) {
      if (t.getText().equals("<")) {
        Token type = previous.apply(t);
        Token start = type == null ? null : previous.apply(type);
        if (type != null && isName(type) && start != null
            && Set.of("(", ",", "{", ";", "}").contains(start.getText())) {
          return procedureTypeArguments(type.getText(), next.apply(t));
        }
      }
      if (!IN_TYPE_ARGUMENTS.contains(t.getText()) && !isName(t)
          && !TYPE_WORDS.contains(t.getType())) {
        return null;
      }
    }
    return null;
  }

  /** What {@link TypeArguments#inProcedure} says; {@code element}: the token after '<'. */
  private String procedureTypeArguments(String type, Token element) {
    Token close = element == null ? null : next.apply(element);
    boolean oneWord = close != null && close.getText().startsWith(">")
        && (isName(element) || TYPE_WORDS.contains(element.getType()));
    return TypeArguments.inProcedure(type, oneWord ? element.getText() : null);
  }

  /** Protocol Buffers' field labels, which XDR has none of. */
  private static final Set<String> LABELS = Set.of("optional", "required", "repeated");

  /**
   * For a field written with a Protocol Buffers label ({@code optional int x;}, {@code repeated
   * Book books;}), where the parser stops at the type (a reserved word after the label taken for
   * a type) or after the name (the label taken for the type, the type for the name): the label,
   * found as the first word of the declaration, after '{' or ';'; else null.
   */
  Token label(Token offending) {
    Token token = previous.apply(offending);
    for (int words = 1; words <= 4 && token != null; words++) {
      Token before = previous.apply(token);
      if (before == null || Set.of("{", ";").contains(before.getText())) {
        // One word before the error is 'optional' of 'optional int'; two or more, 'optional B x'.
        boolean labelled = LABELS.contains(token.getText())
            && (words > 1 || TYPE_WORDS.contains(offending.getType()));
        return labelled ? token : null;
      }
      token = before;
    }
    return null;
  }

  /** What to write for {@link #label}. */
  static String withoutLabel(Token label) {
    String written = "'" + label.getText() + "' is not XDR";
    return switch (label.getText()) {
      case "optional" -> written + ": an optional value is written with '*' before its name, 'int *x'";
      case "repeated" -> written + ": a variable-length array is declared after its name, 'int xs<>'"
          + " for any length, 'int xs<N>' for at most N";
      default -> written + ", which sends every field: leave it out, 'int x'";
    };
  }

  /** What to write for {@link #nameBeforeType}: the type first, then the name. */
  static String typeFirst(Token name, Token offending, Token after) {
    boolean colon = offending.getText().equals(":");
    String type = colon ? after.getText() : offending.getText();
    return "XDR writes the type first" + (colon ? ", without ':'" : "") + ": '" + type + " "
        + name.getText() + "', not '" + name.getText() + (colon ? ": " : " ") + type + "'";
  }

  /** For the lexer's "unexpected character '?'" of {@code int? x}. */
  static String questionMark() {
    return "XDR writes an optional value with '*' before its name: 'int *x', not 'int? x'";
  }

  /**
   * Sendmail's erpcgen declares a list as {@code struct *name { ... name next; }}, a struct that is
   * optional wherever it is named; XDR declares the struct and writes the {@code *} where a value
   * may be absent.
   */
  static String optionalStruct(Token after) {
    String name = after != null && after.getType() == IdlParser.IDENTIFIER ? after.getText() : "name";
    return "'struct *" + name + " { … }' (erpcgen's, a struct optional wherever it is named) is not"
        + " XDR: declare 'struct " + name + " { … };' and write '" + name + " *next;' where a value"
        + " may be absent";
  }

  /**
   * C's {@code typedef void nothing;} and a struct member {@code void x;}: rpcgen refuses them
   * ("voids allowed only inside union and program definitions"); the message says where XDR has
   * {@code void}. Null where the {@code void} does not start a declaration.
   */
  static String misplacedVoid(Token token, Token before) {
    if (token.getType() != IdlParser.VOID || before == null || !(before.getType() == IdlParser.TYPEDEF
        || before.getText().equals("{") || before.getText().equals(";"))) {
      return null;
    }
    return "'void' declares no data: it is only a union arm ('case 1: void;', 'default: void;') or"
        + " a procedure's result or lone argument ('void F(void)')";
  }

  /** {@code string name;} and {@code opaque data;}: both need a length in XDR. */
  private String unbounded(Token name) {
    Token kind = previous.apply(name);
    if (kind == null || !isName(name)) {
      return null;
    }
    String n = name.getText();
    if (kind.getType() == IdlParser.STRING) {
      return "'string " + n + "' needs a bound: 'string " + n + "<>' for any length, 'string "
          + n + "<N>' for at most N bytes";
    }
    if (kind.getType() == IdlParser.OPAQUE) {
      return "'opaque " + n + "' needs a length: 'opaque " + n + "[N]' for exactly N bytes, 'opaque "
          + n + "<>' or 'opaque " + n + "<N>' for a variable length";
    }
    return null;
  }

  /**
   * {@code string *note;}, {@code opaque *data<16>;}: XDR's optional-data takes a type name, and
   * {@code string} and {@code opaque} are declarations, not types, so the optional one needs a
   * typedef, as rpcgen says ("variable-length array declaration expected"). The {@code 'int *x'}
   * of the other hints would otherwise lead here to a bare "unexpected '*'".
   */
  private String optionalString(Token kind, Token star) {
    Token name = next.apply(star);
    String n = name != null && isName(name) ? name.getText() : "x";
    Token open = name != null && isName(name) ? next.apply(name) : null;
    Token close = open != null && open.getText().equals("<") ? matching(open, "<", ">", false) : null;
    String bound = close != null ? between(open, close) : "<>";
    String type = Character.toUpperCase(n.charAt(0)) + n.substring(1);
    if (type.equals(n)) {
      type = n + "Type";
    }
    String k = kind.getText();
    return "'" + k + " *" + n + "' is not XDR, where '*' follows a type's name and '" + k
        + "' needs its length: name the " + k + " in a typedef first ('typedef " + k + " " + type
        + bound + ";'), then make that optional ('" + type + " *" + n + ";')";
  }

  /**
   * A declaration of a type alone: a union's discriminant as C's {@code switch (kind)} writes it
   * ({@code switch (Found)}), or an arm ({@code case 1: hyper;}) or a field of a type keyword
   * alone; each was a bare "unexpected ')'" or "unexpected ';'". Null unless {@code type} is a
   * type name or word that starts the declaration.
   */
  private String nameless(Token type, Token end) {
    if (!isName(type) && !TYPE_WORDS.contains(type.getType())) {
      return null;
    }
    Token start = previous.apply(type);
    if (start == null) {
      return null;
    }
    String t = type.getText();
    String name = isName(type) ? Character.toLowerCase(t.charAt(0)) + t.substring(1) : "value";
    if (name.equals(t)) {
      name = "value";
    }
    Token keyword = previous.apply(start);
    if (end.getText().equals(")") && start.getText().equals("(") && keyword != null
        && keyword.getType() == IdlParser.SWITCH) {
      return "the discriminant of a union is declared with a name, as a field is: 'switch (" + t
          + " " + name + ")'";
    }
    if (!end.getText().equals(";") || isName(type)) {
      return null; // a lone name might be the field's name too: ShapeMistakes.loneWord says both
    }
    if (start.getText().equals(":")) {
      return "a union arm is a declaration, a type and a name: 'case …: " + t + " " + name
          + ";' ('void;' for an arm without data)";
    }
    if (start.getText().equals("{") || start.getText().equals(";")) {
      return "a field is a type and a name: '" + t + " " + name + ";'";
    }
    return null;
  }

  /** {@code int[] xs}: the brackets go after the name. */
  private String emptyBrackets(Token type, Token open) {
    Token close = next.apply(open);
    if (close == null || !close.getText().equals("]")) {
      return null;
    }
    Token name = next.apply(close);
    String n = name != null && isName(name) ? name.getText() : "name";
    String t = type.getText();
    return "'" + t + "[]' is not XDR: an array is declared after its name, '" + t + " " + n
        + "<>' for any length, '" + t + " " + n + "<N>' for at most N, '" + t + " " + n
        + "[N]' for exactly N";
  }

  /**
   * {@code string name[32];}, C's {@code char name[32]}: an XDR string has a largest length, not a
   * fixed one (rpcgen: "variable-length array declaration expected"); else null.
   */
  private String fixedString(Token name, Token open) {
    Token kind = previous.apply(name);
    if (kind == null || kind.getType() != IdlParser.STRING || !isName(name)) {
      return null;
    }
    Token close = matching(open, "[", "]", false);
    String size = close == null ? "N" : between(open, close);
    size = close == null ? size : size.substring(1, size.length() - 1);
    String n = name.getText();
    return "a string has a largest length, not a fixed one: 'string " + n + "<" + size + ">' for at most "
        + size + " bytes ('opaque " + n + "[" + size + "]' for exactly " + size + " bytes of binary data)";
  }

  /**
   * {@code tree_node *children<>;}, {@code int *xs[3];}: an array of optional values in one
   * declaration, as C writes an array of pointers. XDR's '*' makes one value optional, so the
   * optional type needs a typedef, as rpcgen says ("no array-of-pointer declarations -- use
   * typedef"); else {@code "'children<…>' is not XDR"} took the name for a generic type.
   */
  private String optionalArray(Token name, Token open) {
    Token star = previous.apply(name);
    if (!isName(name) || star == null || !star.getText().equals("*")) {
      return null;
    }
    String type = typeBefore(star);
    Token close = matching(open, open.getText(), open.getText().equals("<") ? ">" : "]", false);
    if (type == null || close == null) {
      return null;
    }
    String n = name.getText();
    String element = type.replaceFirst("^(struct|enum|union) ", "").replace(' ', '_') + "_ptr";
    return "'" + type + " *" + n + between(open, close) + "' is not XDR, which has no array of"
        + " optional values in one declaration: name the optional type in a typedef first"
        + " ('typedef " + type + " *" + element + ";'), then declare the array of it ('"
        + (typedefBefore(star) ? "typedef " : "") + element + " " + n + between(open, close) + ";')";
  }

  /** True when the type written before {@code token} follows 'typedef'. */
  private boolean typedefBefore(Token token) {
    Token t = previous.apply(token);
    if (t != null && isName(t)) {
      t = previous.apply(t);
      if (t != null && (t.getType() == IdlParser.STRUCT || t.getType() == IdlParser.ENUM
          || t.getType() == IdlParser.UNION)) {
        t = previous.apply(t);
      }
    } else {
      while (t != null && TYPE_WORDS.contains(t.getType())) {
        t = previous.apply(t);
      }
    }
    return t != null && t.getType() == IdlParser.TYPEDEF;
  }

  /** {@code int xs[];}: a fixed array needs its size. */
  private String sizeless(Token open) {
    Token name = open.getText().equals("[") ? previous.apply(open) : null;
    if (name == null || !isName(name)) {
      return null;
    }
    String n = name.getText();
    return "'" + n + "[]' needs a size: '" + n + "[N]' holds exactly N, '" + n + "<>' any number";
  }

  /**
   * {@code string tags<8><32>}, {@code int grid[3][4]}: an array of strings or of arrays in one
   * declaration, as C writes it. XDR takes one bound per declaration, so the element type needs
   * a typedef.
   */
  private String secondBound(Token close, Token open) {
    String closer = close.getText();
    if (!closer.equals(">") && !closer.equals("]")) {
      return null;
    }
    Token first = matching(close, closer.equals(">") ? "<" : "[", closer, true);
    Token second = matching(open, open.getText(), open.getText().equals("<") ? ">" : "]", false);
    Token name = first == null ? null : previous.apply(first);
    if (second == null || name == null || !isName(name)) {
      return null;
    }
    String type = typeBefore(name);
    if (type == null) {
      return null;
    }
    String n = name.getText();
    // Which bound is the element's is the writer's to say: 'string tags<32><4>' reads as four
    // strings of 32 bytes to some and, as C's 'char tags[32][4]', as 32 of 4 to others.
    // The placeholder shows the kind of bound only where both are of one kind.
    String bound = !first.getText().equals(open.getText()) ? "…" : closer.equals(">") ? "<…>" : "[…]";
    return "'" + n + between(first, close) + between(open, second) + "' has two bounds, and an XDR"
        + " declaration takes one: name the element type with its bound in a typedef first ('typedef "
        + type + " Element" + bound + ";'), then declare the array of it with the other ('Element " + n
        + bound + ";')";
  }

  /**
   * The token that closes (or, {@code backwards}, opens) the bracket at {@code from}, or null when
   * the line of tokens ends first.
   */
  private Token matching(Token from, String open, String close, boolean backwards) {
    int depth = 0;
    for (Token t = from; t != null; t = backwards ? previous.apply(t) : next.apply(t)) {
      String text = t.getText();
      if (text.equals(backwards ? close : open)) {
        depth++;
      } else if (text.equals(backwards ? open : close) && --depth == 0) {
        return t;
      } else if (text.equals(";") || text.equals("{") || text.equals("}")) {
        return null;
      }
    }
    return null;
  }

  /** The text from {@code from} to {@code to}, tokens joined as a bound is written ({@code "<MAX>"}). */
  private String between(Token from, Token to) {
    StringBuilder text = new StringBuilder();
    for (Token t = from; t != null; t = next.apply(t)) {
      text.append(t.getText());
      if (t == to) {
        return text.toString();
      }
    }
    return text.toString();
  }

  /** The type written before a declaration's name ("string", "unsigned int", "struct point"), or null. */
  private String typeBefore(Token name) {
    Token t = previous.apply(name);
    if (t == null) {
      return null;
    }
    if (isName(t)) {
      Token kind = previous.apply(t);
      boolean tagged = kind != null && (kind.getType() == IdlParser.STRUCT
          || kind.getType() == IdlParser.ENUM || kind.getType() == IdlParser.UNION);
      return tagged ? kind.getText() + " " + t.getText() : t.getText();
    }
    List<String> words = new ArrayList<>();
    for (; t != null && TYPE_WORDS.contains(t.getType()); t = previous.apply(t)) {
      words.add(0, t.getText());
    }
    return words.isEmpty() ? null : String.join(" ", words);
  }

  private static final Set<Integer> TYPE_WORDS = Set.of(IdlParser.UNSIGNED, IdlParser.INT,
      IdlParser.LONG, IdlParser.HYPER, IdlParser.CHAR, IdlParser.SHORT, IdlParser.FLOAT,
      IdlParser.DOUBLE, IdlParser.BOOL, IdlParser.STRING, IdlParser.OPAQUE);

  private boolean followedBy(Token token, String text) {
    Token after = next.apply(token);
    return after != null && after.getText().equals(text);
  }

  private static boolean inFields(ParserRuleContext context) {
    return context instanceof IdlParser.StructDefContext
        || context instanceof IdlParser.ExceptionDefContext
        || context instanceof IdlParser.InlineStructTypeContext
        || context instanceof IdlParser.MemberContext;
  }

  /** In a procedure's parameters, rpcgen -N reads {@code string one} as an unbounded string. */
  private static boolean inProcedure(ParserRuleContext context) {
    for (ParserRuleContext c = context; c != null; c = c.getParent()) {
      if (c instanceof IdlParser.ProcedureContext) {
        return true;
      }
    }
    return false;
  }

  private static boolean isName(Token token) {
    return token.getType() == IdlParser.IDENTIFIER
        || SyntaxErrors.IDENT_KEYWORDS.contains(token.getType());
  }
}
