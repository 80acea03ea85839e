package org.onyxrpc.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Diagnostic, no network: what one thread hand-off costs on this machine. The benchmark thread
 * unparks a parked echo thread and parks until the echo unparks it back, so one operation is two
 * wake-ups of a sleeping thread: the unit in which the sync call paths differ (a blocking socket
 * call wakes 2 threads, an Onyx or Netty sync call 4).
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ThreadHandoff {
  private volatile int request;
  private volatile int response;
  private volatile boolean running;
  private volatile Thread caller;
  private Thread echo;

  @Setup(Level.Trial)
  public void start() {
    running = true;
    echo = new Thread(this::echoLoop, "handoff-echo");
    echo.setDaemon(true);
    echo.start();
  }

  @TearDown(Level.Trial)
  public void stop() throws InterruptedException {
    running = false;
    LockSupport.unpark(echo);
    echo.join();
  }

  private void echoLoop() {
    int seen = 0;
    while (running) {
      int r = request;
      if (r == seen) {
        LockSupport.park(this);
        continue;
      }
      seen = r;
      response = r;
      LockSupport.unpark(caller);
    }
  }

  @Benchmark
  public int pingPong() {
    int r = request + 1;
    caller = Thread.currentThread();
    request = r;
    LockSupport.unpark(echo);
    while (response != r) {
      LockSupport.park(this);
    }
    return r;
  }
}
