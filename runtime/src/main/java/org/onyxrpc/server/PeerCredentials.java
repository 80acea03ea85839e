package org.onyxrpc.server;

/**
 * Who is at the other end of a {@link org.onyxrpc.transport.Transport#UNIX} connection, as the
 * kernel reports it ({@code SO_PEERCRED}): the process that connected, with the user and group it
 * had when it connected. Unlike AUTH_SYS ({@link CallContext#credentials()}), which says what a
 * caller claims, no client can choose these values.
 *
 * @param pid the connecting process's id (in the server's PID namespace; 0 if outside it)
 * @param uid its effective user id
 * @param gid its effective group id
 */
public record PeerCredentials(int pid, int uid, int gid) {
  @Override
  public String toString() {
    return "SO_PEERCRED[pid=" + pid + " uid=" + uid + " gid=" + gid + "]";
  }
}
