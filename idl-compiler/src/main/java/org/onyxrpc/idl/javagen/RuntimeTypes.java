package org.onyxrpc.idl.javagen;

import com.palantir.javapoet.ClassName;

/** The runtime's public names that generated code uses, and nothing else of it. */
final class RuntimeTypes {
  private RuntimeTypes() {}

  static final ClassName XDR = ClassName.get("org.onyxrpc.xdr", "Xdr");
  static final ClassName XDR_WRITER = ClassName.get("org.onyxrpc.xdr", "XdrWriter");
  static final ClassName XDR_READER = ClassName.get("org.onyxrpc.xdr", "XdrReader");
  static final ClassName XDR_CODEC = ClassName.get("org.onyxrpc.xdr", "XdrCodec");
  static final ClassName XDR_CODECS = ClassName.get("org.onyxrpc.xdr", "XdrCodecs");
  static final ClassName XDR_EXCEPTION = ClassName.get("org.onyxrpc.xdr", "XdrException");
  static final ClassName VALUE_TEXT = ClassName.get("org.onyxrpc.xdr", "ValueText");
  static final ClassName PROCEDURE = ClassName.get("org.onyxrpc.rpc", "Procedure");
  static final ClassName CALL_SEMANTICS = ClassName.get("org.onyxrpc.rpc", "CallSemantics");
  static final ClassName RPC_CALLER = ClassName.get("org.onyxrpc.client", "RpcCaller");
  static final ClassName CALL_OPTIONS = ClassName.get("org.onyxrpc.client", "CallOptions");
  static final ClassName RPC_EXCEPTION = ClassName.get("org.onyxrpc.rpc", "RpcException");
  static final ClassName RPC_STATUS = ClassName.get("org.onyxrpc.rpc", "RpcStatus");
  static final ClassName SERVICE_DEFINITION = ClassName.get("org.onyxrpc.server", "ServiceDefinition");

  static final ClassName LIST = ClassName.get("java.util", "List");
  static final ClassName ARRAY_LIST = ClassName.get("java.util", "ArrayList");
  static final ClassName OPTIONAL = ClassName.get("java.util", "Optional");
  static final ClassName COLLECTIONS = ClassName.get("java.util", "Collections");
  static final ClassName COMPLETABLE_FUTURE = ClassName.get("java.util.concurrent", "CompletableFuture");
  static final ClassName COMPLETION_EXCEPTION =
      ClassName.get("java.util.concurrent", "CompletionException");
}
