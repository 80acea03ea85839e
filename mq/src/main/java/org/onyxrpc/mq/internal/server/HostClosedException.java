package org.onyxrpc.mq.internal.server;

/**
 * A call that came after its queue host closed (the {@code QueueServer} stopped before its
 * {@code RpcServer}): not run, so it is answered as a program the server no longer serves
 * (PROG_UNAVAIL: certainly not carried out), not with a SYSTEM_ERR, which says it may have run.
 */
final class HostClosedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  HostClosedException() {
    super("the queue server stopped");
  }
}
