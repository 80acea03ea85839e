package org.onyxrpc.idl.javagen;

import static org.onyxrpc.idl.javagen.RuntimeTypes.COMPLETABLE_FUTURE;
import static org.onyxrpc.idl.javagen.RuntimeTypes.PROCEDURE;
import static org.onyxrpc.idl.javagen.RuntimeTypes.XDR_CODEC;
import static org.onyxrpc.idl.javagen.RuntimeTypes.XDR_EXCEPTION;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.TypeVariableName;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;
import org.onyxrpc.idl.schema.Service;

/**
 * Per service version, a final holder class in the shape of grpc-java's {@code *Grpc}: the
 * PROGRAM and VERSION numbers, one {@code Procedure} per procedure, the sync and async interfaces,
 * client factories and the bind methods. {@link ClientGenerator} and {@link ServerGenerator} write
 * the parts that call the runtime.
 */
final class ServiceGenerator {
  private final JavaTypes types;

  ServiceGenerator(JavaTypes types) {
    this.types = types;
  }

  TypeSpec generate(Service service, Service.Version version) {
    ClassName holder = types.holder(version);
    // Nested types must not hide the package's types ("service Book" beside "struct Book").
    Names.Allocator nested = new Names.Allocator(holder.simpleName())
        .reserve(types.reservedNestedNames(holder));
    ClassName reply = holder.nestedClass(nested.allocate("Reply"));
    ClassName stub = holder.nestedClass(nested.allocate("Stub"));
    ClassName asyncStub = holder.nestedClass(nested.allocate("AsyncStub"));
    List<ProcedureModel> procedures = ProcedureModel.of(types, version, holder, reply);
    String javaName = Names.pascal(service.name());
    procedures.stream().filter(p -> p.argsRecord() != null)
        .forEach(p -> nested.allocate(((ClassName) p.argsType()).simpleName()));
    ClassName sync = holder.nestedClass(nested.allocate(javaName, javaName + "Service"));
    ClassName async = holder.nestedClass(nested.allocate("Async" + sync.simpleName()));
    ClassName syncBase = holder.nestedClass(nested.allocate(sync.simpleName() + "ImplBase"));
    ClassName asyncBase = holder.nestedClass(nested.allocate(async.simpleName() + "ImplBase"));
    boolean anyThrows = procedures.stream().anyMatch(ProcedureModel::throwsExceptions);

    TypeSpec.Builder type = types.qualified(TypeSpec.classBuilder(holder), holder)
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addJavadoc(holderDoc(service, version))
        .addFields(numbers(service, version, holder))
        .addFields(procedureFields(service, procedures, reply));
    type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
    ClientGenerator client = new ClientGenerator(holder, reply, procedures);
    ServerGenerator server = new ServerGenerator(procedures);
    type.addMethods(client.factories("newClient", sync, stub.simpleName(), "A blocking"));
    type.addMethods(client.factories("newAsyncClient", async, asyncStub.simpleName(), "An asynchronous"));
    type.addMethod(server.bind(sync, version, false));
    type.addMethod(server.bind(async, version, true));
    type.addType(client.syncInterface(sync, service, version));
    type.addType(client.asyncInterface(async, service, version));
    ImplBaseGenerator bases = new ImplBaseGenerator(procedures);
    type.addType(bases.implBase(syncBase, sync, service, version, false));
    type.addType(bases.implBase(asyncBase, async, service, version, true));
    for (ProcedureModel p : procedures) {
      if (p.argsRecord() != null) {
        type.addType(p.argsRecord());
      }
    }
    if (anyThrows) {
      type.addType(replyRecord(reply));
      type.addMethod(client.unwrap());
    }
    type.addType(client.syncStub(stub, sync));
    type.addType(client.asyncStub(asyncStub, async));
    return type.build();
  }

  private static CodeBlock holderDoc(Service service, Service.Version version) {
    CodeBlock.Builder doc = CodeBlock.builder();
    if (service.doc() != null) {
      doc.add("$L\n\n", service.doc());
    }
    if (version.doc() != null) {
      doc.add("$L\n\n", version.doc());
    }
    doc.add("Version $L of {@code $L}, program {@code 0x$L}: procedure descriptors, interfaces,\n"
        + "client stubs ({@link #newClient}, {@link #newAsyncClient}) and server binding\n"
        + "({@link #bind}, {@link #bindAsync}).\n", Integer.toUnsignedString(version.number()),
        service.name(), Integer.toHexString(service.program()));
    return doc.build();
  }

  /** PROGRAM, VERSION and SERVICE_NAME. */
  private static List<FieldSpec> numbers(Service service, Service.Version version, ClassName holder) {
    return List.of(
        FieldSpec.builder(TypeName.INT, "PROGRAM", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
            .addJavadoc("The program number.\n")
            .initializer("0x$L", Integer.toHexString(service.program()))
            .build(),
        FieldSpec.builder(TypeName.INT, "VERSION", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
            .addJavadoc("The version number.\n")
            .initializer("$L", version.number())
            .build(),
        FieldSpec.builder(String.class, "SERVICE_NAME", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
            .addJavadoc("The service's name, under which servers register it in their directory.\n")
            .initializer("$S", holder.packageName().isEmpty()
                ? service.name() : holder.packageName() + "." + service.name())
            .build());
  }

  /** The reply codecs of the procedures that declare exceptions, then one constant a procedure. */
  private List<FieldSpec> procedureFields(Service service, List<ProcedureModel> procedures,
      ClassName reply) {
    List<FieldSpec> fields = new ArrayList<>();
    for (ProcedureModel p : procedures) {
      if (p.throwsExceptions()) {
        fields.add(FieldSpec.builder(ParameterizedTypeName.get(XDR_CODEC, p.wireResultType()),
                p.replyCodecConstant(), Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .initializer("$L", replyCodec(p, reply))
            .build());
      }
    }
    for (ProcedureModel p : procedures) {
      fields.add(procedureConstant(service, p));
    }
    return fields;
  }

  private FieldSpec procedureConstant(Service service, ProcedureModel p) {
    Service.Procedure procedure = p.procedure();
    CodeBlock.Builder doc = CodeBlock.builder();
    if (procedure.doc() != null) {
      doc.add("$L\n\n", procedure.doc());
    }
    doc.add("Procedure $L, {@code $L}$L.\n", Integer.toUnsignedString(procedure.number()),
        procedure.name(), procedure.oneway() ? ", one-way (no reply)"
            : procedure.has("idempotent") ? ", idempotent (safe to retry)" : "");
    CodeBlock result = p.throwsExceptions() ? CodeBlock.of("$L", p.replyCodecConstant())
        : p.isVoid() ? CodeBlock.of("$T.VOID", RuntimeTypes.XDR_CODECS)
        : CodecWriter.codecFor(types, procedure.result());
    return FieldSpec.builder(ParameterizedTypeName.get(PROCEDURE, p.argsType(), p.wireResultType()),
            p.constant(), Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc(doc.build())
        // The service's full name travels with each procedure: tracing's rpc.service, on the
        // client as on the server (the procedure's own name, for messages, has no package).
        .initializer("new $T<>(PROGRAM, VERSION, $L, $S,$W$L,$W$L$L).inService(SERVICE_NAME)", PROCEDURE,
            procedure.number(), service.name() + "." + procedure.name(), p.argsCodec(), result,
            semantics(procedure))
        .build();
  }

  /** One-way calls are never retransmitted; idempotent ones may run twice; others at most once. */
  private static CodeBlock semantics(Service.Procedure procedure) {
    if (procedure.oneway()) {
      return CodeBlock.of(",$W$T.MAYBE", RuntimeTypes.CALL_SEMANTICS);
    }
    return procedure.has("idempotent") ? CodeBlock.of(",$W$T.AT_LEAST_ONCE", RuntimeTypes.CALL_SEMANTICS)
        : CodeBlock.of("");
  }

  private TypeSpec replyRecord(ClassName reply) {
    TypeVariableName r = TypeVariableName.get("R");
    return TypeSpec.recordBuilder(reply)
        .addModifiers(Modifier.PUBLIC)
        .addTypeVariable(r)
        .addJavadoc("The reply of a procedure that declares exceptions: an XDR union whose arm 0\n"
            + "carries the result and whose arm N carries the N-th exception of its {@code throws}.\n"
            + "Stubs and {@code bind} hide it; it is public for a server that binds procedures by\n"
            + "hand to read each call's {@code CallContext}.\n\n"
            + "@param value the result, when {@code exception} is null\n"
            + "@param exception the declared exception, or null\n"
            + "@param <R> the result type\n")
        .recordConstructor(MethodSpec.constructorBuilder()
            .addParameter(ParameterSpec.builder(r, "value").build())
            .addParameter(ParameterSpec.builder(Exception.class, "exception").build())
            .build())
        .build();
  }

  private TypeSpec replyCodec(ProcedureModel p, ClassName reply) {
    Names.Allocator encodeLocals = CodecWriter.encodeLocals();
    CodecWriter writer = new CodecWriter(types, encodeLocals);
    String failure = encodeLocals.allocate("failure");
    CodeBlock.Builder encode = CodeBlock.builder().beginControlFlow("if (value.exception() == null)");
    encode.addStatement("out.writeInt(0)");
    if (!p.isVoid()) {
      writer.encode(encode, p.procedure().result(), CodeBlock.of("value.value()"));
    }
    for (int i = 0; i < p.exceptions().size(); i++) {
      encode.nextControlFlow("else if (value.exception() instanceof $T $L)", p.exceptions().get(i), failure);
      encode.addStatement("out.writeInt($L)", i + 1);
      encode.addStatement("$T.CODEC.encode(out, $L)", p.exceptions().get(i), failure);
    }
    encode.nextControlFlow("else")
        .addStatement("throw new $T($S + value.exception())", XDR_EXCEPTION,
            p.procedure().name() + " does not declare ")
        .endControlFlow();

    Names.Allocator decodeLocals = CodecWriter.decodeLocals();
    CodecWriter reader = new CodecWriter(types, decodeLocals);
    String arm = decodeLocals.allocate("arm");
    CodeBlock.Builder decode = CodeBlock.builder().addStatement("int $L = in.readInt()", arm);
    decode.beginControlFlow("switch ($L)", arm);
    decode.add("case 0: {\n").indent();
    if (p.isVoid()) {
      decode.addStatement("return new $T<>(null, null)", reply);
    } else {
      String result = decodeLocals.allocate("result");
      CodeBlock read = reader.decode(decode, p.procedure().result());
      decode.addStatement("$T $L = $L", p.returnType(), result, read);
      decode.addStatement("return new $T<>($L, null)", reply, result);
    }
    decode.unindent().add("}\n");
    for (int i = 0; i < p.exceptions().size(); i++) {
      decode.add("case $L:\n", i + 1).indent()
          .addStatement("return new $T<>(null, $T.CODEC.decode(in))", reply, p.exceptions().get(i))
          .unindent();
    }
    decode.add("default:\n").indent()
        .addStatement("throw new $T($S + $L)", XDR_EXCEPTION,
            "no arm in the reply of " + p.procedure().name() + " for ", arm)
        .unindent()
        .endControlFlow();
    return CodecWriter.anonymousCodec(p.wireResultType(), encode.build(), decode.build());
  }

  static TypeName future(TypeName resultType) {
    return ParameterizedTypeName.get(COMPLETABLE_FUTURE, resultType);
  }
}
