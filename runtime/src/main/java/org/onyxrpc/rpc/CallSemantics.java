package org.onyxrpc.rpc;

/**
 * What a caller is promised about how often a procedure runs when the network fails
 * (DESIGN.md, "Failure semantics").
 *
 * <table>
 *   <caption>The three promises</caption>
 *   <tr><th></th><th>client retransmits</th><th>server filters duplicates</th><th>fits</th></tr>
 *   <tr><td>{@link #MAYBE}</td><td>no</td><td>no</td><td>one-way calls, logging</td></tr>
 *   <tr><td>{@link #AT_LEAST_ONCE}</td><td>yes</td><td>no: re-executes</td><td>idempotent procedures</td></tr>
 *   <tr><td>{@link #AT_MOST_ONCE}</td><td>yes</td><td>yes: replays the saved reply</td><td>everything else</td></tr>
 * </table>
 */
public enum CallSemantics {
  /** One attempt, never retransmitted; the procedure runs once or not at all. */
  MAYBE,
  /** Retransmitted until a reply or the deadline; the procedure may run more than once. */
  AT_LEAST_ONCE,
  /**
   * Retransmitted like {@link #AT_LEAST_ONCE}, and the server runs the procedure at most once:
   * a retransmission gets the saved reply. When the server cannot know whether the call ran
   * (it restarted, or forgot the call), the caller gets {@link RpcStatus#OUTCOME_UNKNOWN}.
   */
  AT_MOST_ONCE
}
