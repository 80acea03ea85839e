package org.onyxrpc.idl.javagen;

import static org.onyxrpc.idl.javagen.RuntimeTypes.CALL_OPTIONS;
import static org.onyxrpc.idl.javagen.RuntimeTypes.COMPLETABLE_FUTURE;
import static org.onyxrpc.idl.javagen.RuntimeTypes.RPC_CALLER;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.TypeVariableName;
import java.util.List;
import java.util.Objects;
import javax.lang.model.element.Modifier;
import org.onyxrpc.idl.schema.Field;
import org.onyxrpc.idl.schema.Service;
import org.onyxrpc.idl.source.SourceFiles;

/**
 * The interfaces of a service version and the stubs that implement them over an {@code
 * RpcCaller} (one connection, or a directory's instances): each method is a one-line hand-off to the runtime, plus unwrapping of declared
 * exceptions (rethrown on the sync interface, exceptional completion on the async one).
 */
final class ClientGenerator {
  private final ClassName holder;
  private final ClassName reply;
  private final List<ProcedureModel> procedures;

  ClientGenerator(ClassName holder, ClassName reply, List<ProcedureModel> procedures) {
    this.holder = holder;
    this.reply = reply;
    this.procedures = procedures;
  }

  /**
   * {@code name(client)}, with each procedure's own promise and the client's deadline, and
   * {@code name(client, options)}, whose options apply to every call the stub makes.
   */
  List<MethodSpec> factories(String name, ClassName api, String stub, String kind) {
    MethodSpec plain = MethodSpec.methodBuilder(name)
        .addJavadoc("$L client that calls through {@code client}: one connection ({@code RpcClient})\n"
            + "or a directory's instances ({@code DirectoryClient}).\n\n"
            + "@param client what the calls go through\n@return the client stub\n"
            + "@throws NullPointerException if {@code client} is null\n", kind)
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(api)
        .addParameter(RPC_CALLER, "client")
        .addStatement("return new $T(client, $T.DEFAULT)", holder.nestedClass(stub), CALL_OPTIONS)
        .build();
    MethodSpec withOptions = MethodSpec.methodBuilder(name)
        .addJavadoc("$L client whose calls use {@code options}: a deadline, an attempt timeout,\n"
            + "another promise than each procedure's own, or credentials of their own in place of\n"
            + "the client's ({@code withCredentials}: a request's identity, a fresh token). Stubs\n"
            + "are cheap: make one per choice.\n\n"
            + "@param client what the calls go through\n"
            + "@param options what every call of the stub uses\n@return the client stub\n"
            + "@throws NullPointerException if {@code client} or {@code options} is null\n", kind)
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(api)
        .addParameter(RPC_CALLER, "client")
        .addParameter(CALL_OPTIONS, "options")
        .addStatement("return new $T(client, options)", holder.nestedClass(stub))
        .build();
    return List.of(plain, withOptions);
  }

  TypeSpec syncInterface(ClassName name, Service service, Service.Version version) {
    TypeSpec.Builder type = TypeSpec.interfaceBuilder(name)
        .addModifiers(Modifier.PUBLIC)
        .addJavadoc(interfaceDoc(service, version, "Blocking calls; also what a server implements\n"
            + "and passes to {@link #bind}. Declared exceptions are thrown as themselves."));
    for (ProcedureModel p : procedures) {
      MethodSpec.Builder method = signature(p, false, rpcgen(service)).addModifiers(Modifier.PUBLIC, Modifier.ABSTRACT)
          .returns(p.returnType());
      p.exceptions().forEach(method::addException);
      type.addMethod(method.build());
    }
    return type.build();
  }

  TypeSpec asyncInterface(ClassName name, Service service, Service.Version version) {
    TypeSpec.Builder type = TypeSpec.interfaceBuilder(name)
        .addModifiers(Modifier.PUBLIC)
        .addJavadoc(interfaceDoc(service, version, "Non-blocking calls; also what an asynchronous\n"
            + "server implements and passes to {@link #bindAsync}. A declared exception completes\n"
            + "the future exceptionally with that exception; any other failure, with the\n"
            + "{@code RpcException} itself (not wrapped), whose status says whether the procedure\n"
            + "may have run."));
    for (ProcedureModel p : procedures) {
      type.addMethod(signature(p, true, rpcgen(service)).addModifiers(Modifier.PUBLIC, Modifier.ABSTRACT)
          .returns(ServiceGenerator.future(p.resultType()))
          .build());
    }
    return type.build();
  }

  /** Whether the service is written in rpcgen's language, whose C the Javadoc then also tells. */
  private static boolean rpcgen(Service service) {
    return service.location() != null && SourceFiles.isRpcgen(service.location().file());
  }

  private static CodeBlock interfaceDoc(Service service, Service.Version version, String what) {
    return CodeBlock.of("{@code $L} version $L. $L\n", service.name(),
        Integer.toUnsignedString(version.number()), what);
  }

  /**
   * The method with Javadoc: the procedure's doc, its number and promise, a line per parameter,
   * the result and (blocking) what is thrown.
   */
  static MethodSpec.Builder signature(ProcedureModel p, boolean async, boolean rpcgen) {
    Service.Procedure procedure = p.procedure();
    CodeBlock.Builder doc = CodeBlock.builder();
    if (procedure.doc() != null) {
      doc.add("$L\n\n<p>", procedure.doc());
    }
    doc.add(Docs.promise(procedure));
    boolean first = true;
    for (int i = 0; i < p.parameterNames().size(); i++) {
      if (first) {
        doc.add("\n");
        first = false;
      }
      Field parameter = procedure.parameters().get(i);
      // rpcgen codes a lone argument by its own type's routine, several as fields of a struct.
      doc.add("@param $L $L\n", p.parameterNames().get(i), p.parameterNames().size() == 1
          ? Docs.procedureField(parameter, rpcgen) : Docs.field(parameter));
    }
    String returns = procedure.returnDoc();
    if (async || !p.isVoid()) {
      doc.add(first ? "\n@return $L\n" : "@return $L\n", p.isVoid()
          ? "a future completed when the call is done"
          : returns != null ? (async ? "a future of the result: " + returns : returns)
          : (async ? "a future of the result, " : "the result, ")
              + Docs.procedureResult(procedure.result(), procedure.resultWritten(), rpcgen));
      first = false;
    }
    if (!async) {
      for (int i = 0; i < p.exceptions().size(); i++) {
        String thrown = procedure.throwsDocs().get(procedure.throwsList().get(i));
        doc.add(first ? "\n@throws $T $L\n" : "@throws $T $L\n", p.exceptions().get(i),
            thrown == null ? "if the procedure replies with this declared exception" : thrown);
        first = false;
      }
      doc.add(first ? "\n@throws $T $L\n" : "@throws $T $L\n", RuntimeTypes.RPC_EXCEPTION,
          procedure.oneway() ? "if the call could not be sent"
              : "if the call fails; its status says whether the procedure may have run");
      // RpcClient refuses a blocking call on the event loop that would have to read its reply.
      doc.add("@throws $T $L\n", IllegalStateException.class, "if a stub makes the call on its"
          + " client's own event loop\n    (in an async call's callback), where it would wait for"
          + " itself; nothing is sent");
      first = false;
    }
    if (p.nullArgument() != null) {
      doc.add(first ? "\n@throws $T $L\n" : "@throws $T $L\n", NullPointerException.class,
          "if {@code " + p.parameterNames().get(0) + "} is null; nothing is sent");
    }
    return bareSignature(p).addJavadoc(doc.build());
  }

  /**
   * The stub method's first statement: refusing a null argument where XDR has none, on the
   * caller's thread before anything is sent, naming it (a call with several arguments has its
   * args record refuse it); nothing when it may be null.
   */
  private static void requireArgument(MethodSpec.Builder method, ProcedureModel p) {
    if (p.nullArgument() != null) {
      method.addStatement("$T.requireNonNull($L,\n$S)", Objects.class, p.parameterNames().get(0),
          p.nullArgument());
    }
  }

  static MethodSpec.Builder bareSignature(ProcedureModel p) {
    MethodSpec.Builder method = MethodSpec.methodBuilder(p.method());
    for (int i = 0; i < p.parameterNames().size(); i++) {
      method.addParameter(p.parameterTypes().get(i), p.parameterNames().get(i));
    }
    return method;
  }

  TypeSpec syncStub(ClassName name, ClassName api) {
    TypeSpec.Builder type = stub(name, api);
    for (ProcedureModel p : procedures) {
      MethodSpec.Builder method = bareSignature(p).addAnnotation(Override.class)
          .addModifiers(Modifier.PUBLIC).returns(p.returnType());
      p.exceptions().forEach(method::addException);
      requireArgument(method, p);
      CodeBlock call = p.procedure().oneway()
          ? CodeBlock.of("client.sendAndWait($L, $L, this.options)", p.constant(), p.argsValue())
          : CodeBlock.of("client.call($L, $L, this.options)", p.constant(), p.argsValue());
      if (p.procedure().oneway()) {
        method.addStatement("this.$L", call);
      } else if (p.throwsExceptions()) {
        Names.Allocator locals = new Names.Allocator(p.parameterNames().toArray(new String[0]));
        String result = locals.allocate("reply");
        String failure = locals.allocate("failure");
        method.addStatement("$T $L = this.$L", p.wireResultType(), result, call);
        for (ClassName exception : p.exceptions()) {
          method.beginControlFlow("if ($L.exception() instanceof $T $L)", result, exception, failure)
              .addStatement("throw $L", failure)
              .endControlFlow();
        }
        if (!p.isVoid()) {
          method.addStatement("return $L.value()", result);
        }
      } else if (p.isVoid()) {
        method.addStatement("this.$L", call);
      } else {
        method.addStatement("return this.$L", call);
      }
      type.addMethod(method.build());
    }
    return type.build();
  }

  TypeSpec asyncStub(ClassName name, ClassName api) {
    TypeSpec.Builder type = stub(name, api);
    for (ProcedureModel p : procedures) {
      MethodSpec.Builder method = bareSignature(p).addAnnotation(Override.class)
          .addModifiers(Modifier.PUBLIC).returns(ServiceGenerator.future(p.resultType()));
      // Thrown, not a failed future: the mistake is the caller's, as a record's constructor says.
      requireArgument(method, p);
      if (p.procedure().oneway()) {
        method.addStatement("return this.client.send($L, $L, this.options)", p.constant(),
            p.argsValue());
      } else if (p.throwsExceptions()) {
        // Qualified: a procedure named unwrap would hide it.
        method.addStatement("return $T.unwrap(this.client.callAsync($L, $L, this.options))",
            holder, p.constant(), p.argsValue());
      } else {
        method.addStatement("return this.client.callAsync($L, $L, this.options)", p.constant(),
            p.argsValue());
      }
      type.addMethod(method.build());
    }
    return type.build();
  }

  /**
   * {@code unwrap(call)}: the caller's future of a call whose result is a reply union. Its own
   * future rather than {@code thenCompose}'s dependent stage, so that it fails with the declared
   * exception or the {@code RpcException} itself, as a procedure without declared exceptions
   * does (a dependent stage's handlers see a {@code CompletionException} around it), and so that
   * cancelling it cancels the call, which stops its retransmissions. So does any other end of it
   * before the call's (the caller's {@code orTimeout}, {@code completeOnTimeout}, {@code complete}),
   * which would otherwise leave the call retransmitted and outstanding until its deadline.
   */
  MethodSpec unwrap() {
    TypeVariableName r = TypeVariableName.get("R");
    ParameterizedTypeName future = ParameterizedTypeName.get(COMPLETABLE_FUTURE, r);
    return MethodSpec.methodBuilder("unwrap")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addTypeVariable(r)
        .returns(future)
        .addParameter(ParameterizedTypeName.get(COMPLETABLE_FUTURE,
            ParameterizedTypeName.get(reply, r)), "call")
        .addStatement("$T result = new $T<>()", future, COMPLETABLE_FUTURE)
        .addCode("call.whenComplete((reply, failure) -> {\n$>")
        .beginControlFlow("if (failure != null)")
        .addStatement("result.completeExceptionally(failure)")
        .nextControlFlow("else if (reply.exception() != null)")
        .addStatement("result.completeExceptionally(reply.exception())")
        .nextControlFlow("else")
        .addStatement("result.complete(reply.value())")
        .endControlFlow()
        .addCode("$<});\n")
        .addComment("The caller's future ended first (cancelled, orTimeout): the call is given up.")
        .addCode("result.whenComplete((value, failure) -> {\n$>")
        .beginControlFlow("if (!call.isDone())")
        .addStatement("call.cancel(true)")
        .endControlFlow()
        .addCode("$<});\n")
        .addStatement("return result")
        .build();
  }

  private static TypeSpec.Builder stub(ClassName name, ClassName api) {
    return TypeSpec.classBuilder(name)
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addSuperinterface(api)
        .addField(RPC_CALLER, "client", Modifier.PRIVATE, Modifier.FINAL)
        .addField(CALL_OPTIONS, "options", Modifier.PRIVATE, Modifier.FINAL)
        .addMethod(MethodSpec.constructorBuilder()
            .addParameter(RPC_CALLER, "client")
            .addParameter(CALL_OPTIONS, "options")
            // Null fails here, in the factory call, not in every call of the stub.
            .addStatement("this.client = $T.requireNonNull(client, $S)", Objects.class, "client")
            .addStatement("this.options = $T.requireNonNull(options, $S)", Objects.class, "options")
            .build());
  }
}
