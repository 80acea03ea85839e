package org.onyxrpc.client;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.onyxrpc.internal.SharedResource;

/**
 * The threads every caller-runs client of the process shares: one {@link BackgroundReader}, and
 * at most {@value #CONNECTORS} threads that make connections (a connect blocks). Made when the
 * first caller-runs client is built, gone when the last is closed.
 */
final class CallerRunsThreads {
  static final int CONNECTORS = 4;
  static final SharedResource<CallerRunsThreads> SHARED =
      new SharedResource<>(CallerRunsThreads::new, CallerRunsThreads::close);

  final BackgroundReader reader = new BackgroundReader("onyx-client-reader");
  final ExecutorService connectors = new ThreadPoolExecutor(CONNECTORS, CONNECTORS, 0,
      TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
      new DefaultThreadFactory("onyx-client-connect", true));

  private void close() {
    reader.close();
    connectors.shutdown();
  }
}
