package org.onyxrpc.idl;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.idl.RpcgenGrammar.Case;

/**
 * The files of {@link CppFiles}, given to rpcgen (through gcc's cpp) and to idlc as {@link
 * WholeFileComparison} does: the same verdict, unless {@code rpcgen-grammar/cpp-files.txt}
 * lists the file with the reason, and for the files both accept the same constants' values and
 * the same bytes on the wire. Needs rpcgen, gcc and libtirpc-dev: skipped without them, except
 * under CI.
 */
class CppFilesTest {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path temp;

  @Test
  void idlcReadsCppAsRpcgensCppDoes() throws Exception {
    NativeToolchain.require();
    List<Case> cases = CppFiles.all();
    WholeFileComparison.check(cases, Collections.nCopies(cases.size(), true),
        "rpcgen-grammar/cpp-files.txt", temp);
  }
}
