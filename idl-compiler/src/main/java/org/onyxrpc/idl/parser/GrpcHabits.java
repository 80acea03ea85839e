package org.onyxrpc.idl.parser;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.antlr.v4.runtime.CommonToken;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.Token;

/**
 * What a gRPC user's {@code .proto} habits are in the IDL ({@code syntax = "proto3";}, {@code
 * option}, {@code message}, {@code rpc M(A) returns (B);}, {@code stream}, {@code oneof}, {@code
 * google.protobuf.*}, a field's number, enum values ended by {@code ;}): one message per habit,
 * at the word that starts it, where the parser said "unexpected 'message'" or read {@code rpc} as
 * a type, and stopped the file or lost its place in the block.
 */
final class GrpcHabits {
  /** Where the habit starts, what to write instead, and the last token its statement holds. */
  record Habit(Token at, String message, Token through) {}

  private static final String README = " (README.md, Coming from gRPC)";

  private final UnaryOperator<Token> previous;
  private final UnaryOperator<Token> next;

  /** {@code previous} and {@code next}: the visible token before and after one, or null. */
  GrpcHabits(UnaryOperator<Token> previous, UnaryOperator<Token> next) {
    this.previous = previous;
    this.next = next;
  }

  /** A block's kind, for what its tokens may be: a struct's fields, an enum's values, or other. */
  private static final class Block {
    final String kind;
    boolean reported;

    Block(String kind) {
      this.kind = kind;
    }
  }

  /**
   * Reports each habit before the parser reads the file, and takes it out of what the parser
   * reads, or reads it as what it would be in the IDL, so that the parser neither stops the file
   * at the first (its recovery reads no further than a top-level word it does not know) nor loses
   * its place in a block and reports the rest again: {@code syntax}, {@code option}, {@code rpc}
   * and {@code oneof} statements and {@code stream} are hidden, {@code message} is read as {@code
   * struct}, {@code google.protobuf.Empty} as {@code void}, a timestamp as {@code hyper}, a
   * field's {@code = 1} is hidden and an enum's {@code ;} read as {@code ,} (each reported once
   * per block). {@code tokens} is filled.
   */
  void beforeParsing(CommonTokenStream tokens, SyntaxErrors errors) {
    Deque<Block> blocks = new ArrayDeque<>();
    Token last = null;
    for (Token t : tokens.getTokens()) {
      if (t.getChannel() != Token.DEFAULT_CHANNEL || t.getType() == Token.EOF) {
        continue;
      }
      boolean starts = last == null || Set.of(";", "{", "}").contains(last.getText());
      Habit habit = starts ? startingWith(t, blocks.isEmpty()) : null;
      if (habit != null) {
        errors.reportBeforeParsing(habit.at(), habit.message());
        if (!isWord(t, "message")) {
          hide(t, habit.through());
          continue;
        }
        ((CommonToken) t).setType(IdlParser.STRUCT);
      } else if (isWord(t, "stream") && isName(next.apply(t)) && isName(next.apply(next.apply(t)))) {
        errors.reportBeforeParsing(t, stream());
        hide(t, t);
        continue;
      } else if (isWord(t, "google") && isText(next.apply(t), ".") && !isText(last, "package")
          && isWord(next.apply(next.apply(t)), "protobuf")) {
        errors.reportBeforeParsing(t, wellKnown(t));
        asWellKnown(t);
      } else if (!blocks.isEmpty()) {
        inBlock(t, blocks.peek(), errors);
      }
      if (isText(t, "{")) {
        blocks.push(new Block(blockKind(t)));
      } else if (isText(t, "}") && !blocks.isEmpty()) {
        blocks.pop();
      }
      last = t;
    }
    // The stream stands at the first visible token, which may now be hidden.
    tokens.seek(0);
  }

  /** A field's number ({@code int32 id = 1;}) or an enum value's {@code ;}, once per block. */
  private void inBlock(Token t, Block block, SyntaxErrors errors) {
    Token value = next.apply(t);
    Token end = value == null ? null : next.apply(value);
    Token name = previous.apply(t);
    Token type = name == null ? null : previous.apply(name);
    // After a field's name or bound; not 'const X = 3;' or a program's '} = 1;', definitions out
    // of place, which ShapeMistakes words.
    boolean field = name != null && (isName(name) || isText(name, ">") || isText(name, "]"))
        && type != null && type.getType() != IdlParser.CONST;
    if (block.kind.equals("struct") && isText(t, "=") && field && value != null
        && value.getType() == IdlParser.NUMBER && isText(end, ";")) {
      if (!block.reported) {
        errors.reportBeforeParsing(t, "a field has no number (Protocol Buffers' tag) nor default"
            + " value in XDR, which sends every field, in order: leave out '= " + value.getText()
            + "', and any other field's number; a field added later goes in a new version" + README);
        block.reported = true;
      }
      hide(t, value);
    } else if (block.kind.equals("enum") && isText(t, ";")) {
      if (!block.reported) {
        errors.reportBeforeParsing(t, "enum values are separated by ',', not ended by ';' (as"
            + " Protocol Buffers' are): 'enum Kind { A = 0, B = 1 };'");
        block.reported = true;
      }
      ((CommonToken) t).setType(COMMA);
      ((CommonToken) t).setText(",");
    }
  }

  private static final int COMMA = tokenType("','");

  private static int tokenType(String literal) {
    for (int type = 0; type <= IdlParser.VOCABULARY.getMaxTokenType(); type++) {
      if (literal.equals(IdlParser.VOCABULARY.getLiteralName(type))) {
        return type;
      }
    }
    throw new IllegalStateException("no token " + literal);
  }

  /** What the block a '{' opens holds: "struct" for a struct's (or message's) or exception's fields. */
  private String blockKind(Token open) {
    Token name = previous.apply(open);
    Token keyword = name == null ? null : previous.apply(name);
    if (keyword == null || !isName(name)) {
      return "other";
    }
    return keyword.getType() == IdlParser.STRUCT || keyword.getType() == IdlParser.EXCEPTION
        ? "struct" : keyword.getType() == IdlParser.ENUM ? "enum" : "other";
  }

  /**
   * Reads {@code google.protobuf.Empty} as {@code void}, a timestamp or duration as {@code hyper},
   * others by their last name.
   */
  private void asWellKnown(Token google) {
    Token last = google;
    for (Token t = next.apply(google); isText(t, ".") && isName(next.apply(t)); t = next.apply(last)) {
      last = next.apply(t);
    }
    String type = last.getText();
    boolean time = Set.of("Timestamp", "Duration").contains(type);
    if (last != google) {
      hide(next.apply(google), last);
    }
    CommonToken first = (CommonToken) google;
    first.setType(type.equals("Empty") ? IdlParser.VOID : time ? IdlParser.HYPER : IdlParser.IDENTIFIER);
    first.setText(type.equals("Empty") ? "void" : time ? "hyper" : type);
  }

  /** Takes the tokens from {@code from} to {@code to} out of what the parser reads. */
  private void hide(Token from, Token to) {
    Token after = next.apply(to);
    for (Token t = from; t != null && t != after; ) {
      Token following = next.apply(t);
      ((CommonToken) t).setChannel(Token.HIDDEN_CHANNEL);
      t = following;
    }
  }

  /** A habit that its statement's first words show: syntax, option, message, rpc, oneof. */
  private Habit startingWith(Token start, boolean topLevel) {
    Token second = next.apply(start);
    Token third = second == null ? null : next.apply(second);
    // Only at the top: an enum's value may be named 'syntax'.
    if (topLevel && isWord(start, "syntax") && isText(second, "=")) {
      return new Habit(start, "'syntax = …;' is Protocol Buffers': an .idl file has no syntax line;"
          + " leave it out" + README, endOfStatement(start));
    }
    if (isWord(start, "option") && (isName(second) && isText(third, "=") || isText(second, "("))) {
      return new Habit(start, "'option' is Protocol Buffers': the Java package of the generated code"
          + " is the file's 'package' line ('package com.example.events;'), and other options have"
          + " none" + README, endOfStatement(start));
    }
    if (isWord(start, "message") && isName(second) && isText(third, "{")) {
      return new Habit(start, "a message is a struct in XDR: 'struct " + second.getText()
          + " { hyper id; string name<>; };', each field a type and a name, with no field numbers"
          + README, endOfBlock(third));
    }
    if (isWord(start, "oneof") && isName(second) && isText(third, "{")) {
      String type = Character.toUpperCase(second.getText().charAt(0)) + second.getText().substring(1);
      return new Habit(start, "'oneof' is Protocol Buffers': XDR's one-of-several is a union,"
          + " declared on its own ('union " + type + " switch (int kind) { case 1: string text<>;"
          + " case 2: int code; };'), and a field of it ('" + type + " " + second.getText() + ";')"
          + " (idl-compiler/README.md, The language)", endOfBlock(third));
    }
    Token close = isText(third, "(") ? closing(third) : null;
    if (isWord(start, "rpc") && isName(second) && close != null && isWord(next.apply(close), "returns")) {
      return new Habit(start, rpc(second, third, home(start)), endOfStatement(start));
    }
    return null;
  }

  /** What {@code rpc Name(A) returns (B);} is: {@code B name(A a) = N;} in a version block. */
  private String rpc(Token name, Token open, String home) {
    Token close = closing(open);
    String argument = close == null ? "A" : between(next.apply(open), close);
    Token returns = close == null ? null : next.apply(close);
    Token resultOpen = returns != null && isWord(returns, "returns") ? next.apply(returns) : null;
    Token resultClose = isText(resultOpen, "(") ? closing(resultOpen) : null;
    Token first = resultClose == null ? null : next.apply(resultOpen);
    boolean streamed = isWord(first, "stream");
    String result = resultClose == null ? "B" : between(streamed ? next.apply(first) : first, resultClose);
    String n = name.getText();
    String method = Character.toLowerCase(n.charAt(0)) + n.substring(1);
    String parameter = argument.isEmpty() || argument.contains(" ") ? argument
        : argument + " " + Character.toLowerCase(argument.charAt(0)) + argument.substring(1);
    return "'rpc " + n + "(…) returns (…)' is gRPC's: a procedure is its result, its name, its"
        + " parameters and its number N, '" + result + " " + method + "(" + parameter + ") = N;', "
        + home + (streamed ? "; there is no 'stream': " + longPoll() : "") + README;
  }

  /**
   * Where the procedure an {@code rpc} statement stands for goes, named from the block it is in:
   * that version block, or a version block of its service, or a service of the file's own.
   */
  private String home(Token rpc) {
    int depth = 0;
    for (Token t = previous.apply(rpc); t != null; t = previous.apply(t)) {
      if (isText(t, "}")) {
        depth++;
      } else if (isText(t, "{") && depth-- == 0) {
        Token name = previous.apply(t);
        Token kind = name == null ? null : previous.apply(name);
        if (isText(kind, "version")) {
          return "inside this version block";
        }
        if (isText(kind, "service") || isText(kind, "program")) {
          return "inside a version block: '" + kind.getText() + " " + name.getText()
              + " { version 1 { … } }'";
        }
        break;
      }
    }
    return "inside 'service S { version 1 { … } }'";
  }

  private static String stream() {
    return "'stream' is not XDR: an ONC RPC call has one request and one reply; " + longPoll() + README;
  }

  private static String longPoll() {
    return "a watch is a long poll, a procedure that returns what changed after the revision its"
        + " caller names, called again from the revision it got (the server streaming row)";
  }

  /** {@code google.protobuf.Empty} and the other well-known types, from {@code google}. */
  private String wellKnown(Token google) {
    Token t = google;
    StringBuilder written = new StringBuilder();
    for (int i = 0; i < 5 && t != null && (isName(t) || isText(t, ".")); i++, t = next.apply(t)) {
      written.append(t.getText());
    }
    String name = written.toString();
    String type = name.substring(name.lastIndexOf('.') + 1);
    String field = isName(t) ? t.getText() : "at";
    String xdr = switch (type) {
      case "Empty" -> "'void' in XDR: 'void ping(void) = 1;'";
      case "Timestamp", "Duration" -> "a 'hyper' in XDR (say, milliseconds"
          + (type.equals("Timestamp") ? " since the epoch" : "") + "): 'hyper " + field + ";'";
      default -> "a Protocol Buffers type, and XDR has no well-known types: declare a struct of what"
          + " it holds";
    };
    return "'" + name + "' is " + xdr + README;
  }

  /** The ';' that ends the statement from {@code start}, or the '}' of a block it opens. */
  private Token endOfStatement(Token start) {
    int depth = 0;
    Token last = start;
    for (Token t = start; t != null; last = t, t = next.apply(t)) {
      String text = t.getText();
      if (text.equals("{")) {
        depth++;
      } else if (text.equals("}") && --depth <= 0) {
        return depth < 0 ? last : t;
      } else if (text.equals(";") && depth == 0) {
        return t;
      }
    }
    return last;
  }

  /** The '}' that closes the block {@code open} is in or opens, with a ';' after it. */
  private Token endOfBlock(Token from) {
    int depth = from.getText().equals("{") ? 0 : 1;
    for (Token t = from; t != null; t = next.apply(t)) {
      if (t.getText().equals("{")) {
        depth++;
      } else if (t.getText().equals("}") && --depth == 0) {
        Token after = next.apply(t);
        return isText(after, ";") ? after : t;
      }
    }
    return from;
  }

  /** The ')' that closes {@code open}, or null before the statement ends. */
  private Token closing(Token open) {
    int depth = 0;
    for (Token t = open; t != null; t = next.apply(t)) {
      String text = t.getText();
      if (text.equals("(")) {
        depth++;
      } else if (text.equals(")") && --depth == 0) {
        return t;
      } else if (Set.of(";", "{", "}").contains(text)) {
        return null;
      }
    }
    return null;
  }

  /** The tokens from {@code from} up to {@code to} (not included), a space between names. */
  private String between(Token from, Token to) {
    StringBuilder text = new StringBuilder();
    Token last = null;
    for (Token t = from; t != null && t != to; last = t, t = next.apply(t)) {
      if (last != null && isName(last) && isName(t)) {
        text.append(' ');
      }
      text.append(t.getText());
    }
    return text.toString().replace(",", ", ");
  }

  private static boolean isWord(Token token, String word) {
    return token != null && token.getType() == IdlParser.IDENTIFIER && token.getText().equals(word);
  }

  private static boolean isText(Token token, String text) {
    return token != null && token.getText().equals(text);
  }

  private static boolean isName(Token token) {
    return token != null && (token.getType() == IdlParser.IDENTIFIER
        || SyntaxErrors.IDENT_KEYWORDS.contains(token.getType()) || isTypeWord(token));
  }

  private static boolean isTypeWord(Token token) {
    return Set.of(IdlParser.INT, IdlParser.HYPER, IdlParser.UNSIGNED, IdlParser.FLOAT,
        IdlParser.DOUBLE, IdlParser.BOOL, IdlParser.STRING, IdlParser.OPAQUE, IdlParser.VOID)
        .contains(token.getType());
  }
}
