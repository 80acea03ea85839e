package org.onyxrpc.directory.remote;

import java.time.Duration;
import java.util.function.Consumer;
import org.onyxrpc.client.RpcClientBuilder;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.transport.Transport;

/** What a {@link DirectoryClientBuilder} held at {@code build()}: later changes to it do not reach the client. */
record DirectoryClientConfig(Directory directory, String name, int program, int version,
    Transport transport, Duration cacheTtl, Duration dropFor, int maxInstances,
    Consumer<RpcClientBuilder> clientOptions) {}
