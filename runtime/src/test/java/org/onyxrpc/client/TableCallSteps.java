package org.onyxrpc.client;

/** Steps for calls in tests: no transmission, and forgetting takes a call out of its table. */
final class TableCallSteps implements CallSteps {
  private final CallOwner owner;
  private final OutstandingCalls table;

  TableCallSteps(CallOwner owner, OutstandingCalls table) {
    this.owner = owner;
    this.table = table;
  }

  @Override
  public CallOwner owner() {
    return owner;
  }

  @Override
  public void next(PendingCall<?, ?> call) {}

  @Override
  public void forget(PendingCall<?, ?> call) {
    table.remove(call);
  }
}
