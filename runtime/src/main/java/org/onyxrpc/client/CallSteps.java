package org.onyxrpc.client;

/** What a {@link PendingCall} needs of its client: the owner of its state, and its next step. */
interface CallSteps {
  /** The owner of the client's calls, which alone runs the methods below. */
  CallOwner owner();

  /** On the owner: the call's next step, its first transmission or what its timer found due. */
  void next(PendingCall<?, ?> call);

  /** On the owner: the call is no longer outstanding; a late reply to it is dropped. */
  void forget(PendingCall<?, ?> call);
}
