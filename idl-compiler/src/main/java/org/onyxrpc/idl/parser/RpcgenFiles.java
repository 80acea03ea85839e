package org.onyxrpc.idl.parser;

/**
 * Which source files are rpcgen's language rather than Onyx IDL: every file but a {@code .idl}.
 * rpcgen reads a file of any name, and its users name theirs {@code .x} and also otherwise (EPICS
 * asyn's and liblxi's {@code vxi11core.rpcl}; a C header a {@code .x} file includes): a rule that
 * means rpcgen's reading (a lone {@code T *} argument coded as {@code T}, plain comments as
 * documentation) must hold for each of them, or the same file would be coded otherwise on the wire
 * under another name.
 */
final class RpcgenFiles {
  private RpcgenFiles() {}

  /** Whether {@code file}, a path or name as a location gives it, is read as rpcgen reads it. */
  static boolean isRpcgen(String file) {
    return !file.endsWith(".idl");
  }
}
