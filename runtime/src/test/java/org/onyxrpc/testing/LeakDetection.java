package org.onyxrpc.testing;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Makes Netty's leak reports fail tests. As a launcher session listener (registered in {@code
 * META-INF/services}) it installs, before any buffer class loads, leak detectors that remember
 * what they report; as an extension ({@code @ExtendWith(LeakDetection.class)}) it collects the
 * garbage after each test, lets the detectors look, and fails the test if any buffer was never
 * released. The build runs tests with {@code io.netty.leakDetection.level=paranoid}, so every
 * buffer is tracked, and {@code targetRecords=0}, so a report names where the buffer was
 * allocated but not every place that touched it (LeakDetectionTest).
 */
public final class LeakDetection implements LauncherSessionListener, AfterEachCallback {
  private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new Recording());
  }

  @Override
  public void afterEach(ExtensionContext context) throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      collectGarbage();
      // A detector reports what the collector found the next time it tracks a resource.
      io.netty.buffer.PooledByteBufAllocator.DEFAULT.buffer(1).release();
      io.netty.buffer.PooledByteBufAllocator.DEFAULT.directBuffer(1).release();
      io.netty.buffer.Unpooled.buffer(1).release();
    }
    if (!LEAKS.isEmpty()) {
      String report = String.join("\n", LEAKS);
      LEAKS.clear();
      throw new AssertionError("buffers were never released:\n" + report);
    }
  }

  /**
   * Collects the garbage and waits until the reference handler has enqueued what this collection
   * found: a sentinel made unreachable before it is enqueued with the rest of its cycle.
   */
  private static void collectGarbage() throws InterruptedException {
    ReferenceQueue<Object> queue = new ReferenceQueue<>();
    WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
    do {
      System.gc();
    } while (queue.remove(100) == null);
    Reference.reachabilityFence(sentinel);
  }

  /** Leak detectors that remember their reports. */
  private static final class Recording extends ResourceLeakDetectorFactory {
    @Override
    @SuppressWarnings("deprecation")
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(
        Class<T> resource, int samplingInterval, long maxActive) {
      return new ResourceLeakDetector<>(resource, samplingInterval) {
        @Override
        protected void reportTracedLeak(String resourceType, String records) {
          LEAKS.add(resourceType + records);
          super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
          LEAKS.add(resourceType);
          super.reportUntracedLeak(resourceType);
        }
      };
    }
  }
}
