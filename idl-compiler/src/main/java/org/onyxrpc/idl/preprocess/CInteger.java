package org.onyxrpc.idl.preprocess;

/**
 * A value of a {@code #if} expression: 64 bits, read as C's {@code intmax_t} or, when {@code
 * unsigned}, {@code uintmax_t}, as cpp reads them. C converts both operands of an arithmetic,
 * bitwise or comparison operator to unsigned when either is ({@code #if -1 > 0u} is true), and a
 * shift keeps the type of its left operand.
 */
record CInteger(long bits, boolean unsigned) {
  static final CInteger ZERO = new CInteger(0, false);
  static final CInteger ONE = new CInteger(1, false);

  static CInteger of(boolean truth) {
    return truth ? ONE : ZERO;
  }

  boolean isTrue() {
    return bits != 0;
  }

  CInteger negated() {
    return new CInteger(-bits, unsigned);
  }

  CInteger complemented() {
    return new CInteger(~bits, unsigned);
  }

  /** {@code this operator right}; null for '/' or '%' by zero. */
  CInteger apply(String operator, CInteger right) {
    boolean both = unsigned || right.unsigned;
    long a = bits;
    long b = right.bits;
    switch (operator) {
      case "<<": return new CInteger(a << b, unsigned);
      case ">>": return new CInteger(unsigned ? a >>> b : a >> b, unsigned);
      case "==": return of(a == b);
      case "!=": return of(a != b);
      case "<": return of(compare(a, b, both) < 0);
      case ">": return of(compare(a, b, both) > 0);
      case "<=": return of(compare(a, b, both) <= 0);
      case ">=": return of(compare(a, b, both) >= 0);
      case "|": return new CInteger(a | b, both);
      case "^": return new CInteger(a ^ b, both);
      case "&": return new CInteger(a & b, both);
      case "+": return new CInteger(a + b, both);
      case "-": return new CInteger(a - b, both);
      case "*": return new CInteger(a * b, both);
      case "/":
        return b == 0 ? null : new CInteger(both ? Long.divideUnsigned(a, b) : a / b, both);
      case "%":
        return b == 0 ? null : new CInteger(both ? Long.remainderUnsigned(a, b) : a % b, both);
      default: throw new IllegalArgumentException(operator);
    }
  }

  /** The type both arms of {@code ?:} take: unsigned when either is. */
  CInteger commonWith(CInteger other) {
    return new CInteger(bits, unsigned || other.unsigned);
  }

  private static int compare(long a, long b, boolean unsigned) {
    return unsigned ? Long.compareUnsigned(a, b) : Long.compare(a, b);
  }
}
