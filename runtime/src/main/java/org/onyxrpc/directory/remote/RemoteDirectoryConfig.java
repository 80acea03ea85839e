package org.onyxrpc.directory.remote;

import java.net.InetSocketAddress;
import java.time.Duration;

/** What a {@link RemoteDirectoryBuilder} held at {@code build()}: later changes to it do not reach the directory. */
record RemoteDirectoryConfig(InetSocketAddress address, Duration timeout) {}
