package org.onyxrpc.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileSummaryTest {
  private static final List<String> COLLAPSED = List.of(
      "[caller tid=11];java/lang/Thread.run;org/onyxrpc/client/RpcClient.call;"
          + "sun/nio/ch/SocketDispatcher.write0;entry_SYSCALL_64_[k];tcp_sendmsg_[k] 6",
      "[caller tid=11];java/lang/Thread.run;org/onyxrpc/client/RpcClient.call;"
          + "jdk/internal/misc/Unsafe.setMemory0;Copy::fill_to_memory_atomic 3",
      "[caller tid=11];java/lang/Thread.run;org/onyxrpc/xdr/XdrCodecs$$Lambda$83.0x00007fbc54096aa0"
          + ".encode;__memmove_avx_unaligned 1",
      "[server tid=12];java/lang/Thread.run;io/netty/channel/unix/FileDescriptor.writev;writev 4",
      "[C2 CompilerThre tid=13];thread_native_entry;C2Compiler::compile_method 1",
      "");

  @Test
  void samplesAreCountedByThreadAndLandOnTheLeafMostJavaFrame() {
    List<ProfileSummary.Stack> stacks = ProfileSummary.parse(COLLAPSED);

    assertEquals(Map.of("caller", 10L, "server", 4L, "C2 CompilerThre", 1L),
        ProfileSummary.byThread(stacks));
    assertEquals(List.of("caller", "server", "C2 CompilerThre"),
        List.copyOf(ProfileSummary.byThread(stacks).keySet()), "most samples first");
    // The kernel's work lands on the system call's JDK method, the JVM's zeroing on the
    // allocating method; a lambda keeps its name, not its address.
    assertEquals(List.of(
            Map.entry("sun/nio/ch/SocketDispatcher.write0", 6L),
            Map.entry("jdk/internal/misc/Unsafe.setMemory0", 3L),
            Map.entry("org/onyxrpc/xdr/XdrCodecs$$Lambda.encode", 1L)),
        List.copyOf(ProfileSummary.byLandingFrame(stacks, "caller").entrySet()));
    // No Java frame: the leaf.
    assertEquals(Map.of("C2Compiler::compile_method", 1L),
        ProfileSummary.byLandingFrame(stacks, "C2 CompilerThre"));
  }

  @Test
  void theSummaryBreaksDownTheThreadsThatTookAShare() {
    String md = ProfileSummary.render(ProfileSummary.parse(COLLAPSED));

    assertTrue(md.contains("| `caller` | 10 | 66.7% |"), md);
    assertTrue(md.contains("| `sun/nio/ch/SocketDispatcher.write0` | 6 | 60.0% |"), md);
    assertTrue(md.contains("## `server`: where its samples land"), md);
    assertTrue(md.contains("| `C2 CompilerThre` | 1 | 6.7% |"), md);
  }
}
