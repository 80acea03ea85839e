package org.onyxrpc.idl.parser;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommentedOutCodeTest {
  @Test
  void codeIsCode() {
    for (String code : List.of("int old_field;", "case 3: void;", "GREEN = 2,", "NFS_OK = 0",
        "float f; double d;", "struct foo *next;", "opaque data<MAX>;", "const MAX = 1 << 4;",
        "case 1: lock_args conflict;", "default: void;", "lock_res LOCK(lock_args) = 1;",
        "int ADD(int a, int b) = 2;", "MODE = A | B,")) {
      assertTrue(CommentedOutCode.is(code), code);
    }
  }

  @Test
  void wordsAreWords() {
    for (String words : List.of("CONFIG INTERFACE", "num return vars: 3", "CURRENT_FH: file",
        "foo;", "mode = read or write", "the longest owner name, in bytes",
        "Which notifications can the server support?", "a = b (see RFC 1813)", "")) {
      assertFalse(CommentedOutCode.is(words), words);
    }
  }

  /**
   * One regular expression over the whole text backtracked without end on 'a = b a = b ...!'
   * (found before it was committed): each statement is matched alone. The matcher's reads are
   * counted, not timed: a few hundred per character at most.
   */
  @Test
  void aLongCommentIsReadInBoundedSteps() {
    for (String text : List.of("a = b ".repeat(66) + "!", "x = a b c d e f g h ".repeat(20) + "!",
        "a = (".repeat(80), "int ".repeat(99) + ";", "a ".repeat(199) + "=1;",
        "a = b + ".repeat(49) + "!", "case a + ".repeat(44) + "!")) {
      String comment = text.substring(0, Math.min(400, text.length()));
      long[] reads = {0};
      assertFalse(CommentedOutCode.is(comment, statement -> new Counted(statement, reads)), comment);
      assertTrue(reads[0] < 400L * comment.length(), reads[0] + " reads of " + comment);
    }
  }

  /** A statement whose every character read is counted. */
  private record Counted(CharSequence text, long[] reads) implements CharSequence {
    @Override
    public char charAt(int index) {
      reads[0]++;
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return new Counted(text.subSequence(start, end), reads);
    }

    @Override
    public String toString() {
      return text.toString();
    }
  }
}
