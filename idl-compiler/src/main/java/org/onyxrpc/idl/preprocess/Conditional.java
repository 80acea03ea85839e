package org.onyxrpc.idl.preprocess;

import java.util.ArrayList;
import java.util.List;
import org.onyxrpc.idl.source.Location;

/**
 * One open {@code #if}/{@code #ifdef}/{@code #ifndef} of the {@link Preprocessor}: whether a
 * branch was taken yet, whether the current one is, and, when one of rpcgen's symbols alone
 * skips it, which (for the hint of an unknown name the branch declares).
 */
final class Conditional {
  final boolean parentActive;
  final Location location;
  boolean taken;
  boolean active;
  boolean sawElse;
  /** The conditions of the branches so far, as {@code #if} expressions. */
  final List<String> conditions = new ArrayList<>();
  /** The directive that opened the conditional, as written. */
  final String opening;
  /** The rpcgen symbol that alone skips the current branch, and the branch; else null. */
  String skippedFor;
  String branch;

  Conditional(boolean parentActive, boolean condition, Location location, String opening) {
    this.parentActive = parentActive;
    this.location = location;
    this.opening = opening;
    this.active = parentActive && condition;
    this.taken = this.active;
  }

  /**
   * Notes why the branch just entered is skipped when one of rpcgen's symbols alone does it;
   * {@code condition} is its {@code #if} expression, null for {@code #else}.
   */
  void entered(String condition, String description, Macros macros) {
    skippedFor = parentActive && !active ? SkippedBranches.symbol(conditions, condition, macros) : null;
    branch = description;
    if (condition != null) {
      conditions.add(condition);
    }
  }
}
