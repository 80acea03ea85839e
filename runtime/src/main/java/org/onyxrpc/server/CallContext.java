package org.onyxrpc.server;

import java.net.SocketAddress;
import org.onyxrpc.rpc.Credentials;
import org.onyxrpc.transport.Transport;

/**
 * What a procedure may know about the call it serves.
 *
 * @param xid the call's transaction id
 * @param program the program number called
 * @param version the program version called
 * @param procedure the procedure number called
 * @param credentials who the caller says it is (AUTH_NONE, AUTH_SYS, or a flavor left raw)
 * @param remoteAddress where the call came from
 * @param transport the transport it came over
 */
public record CallContext(
    int xid,
    int program,
    int version,
    int procedure,
    Credentials credentials,
    SocketAddress remoteAddress,
    Transport transport) {}
