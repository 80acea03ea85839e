package org.onyxrpc.client;

import java.util.function.Consumer;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.transport.Transport;

/** What a connection, of either I/O strategy, needs of its client. */
record ConnectionSetup(Transport transport, String peer, OutstandingCalls calls,
    OpaqueAuth credential, long clientHigh, long clientLow, int maxMessageBytes,
    Consumer<Connection> onLost) {}
