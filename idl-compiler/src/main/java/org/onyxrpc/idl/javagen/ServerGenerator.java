package org.onyxrpc.idl.javagen;

import static org.onyxrpc.idl.javagen.RuntimeTypes.COMPLETION_EXCEPTION;
import static org.onyxrpc.idl.javagen.RuntimeTypes.SERVICE_DEFINITION;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import java.util.List;
import java.util.Objects;
import javax.lang.model.element.Modifier;
import org.onyxrpc.idl.schema.Service;

/**
 * The server side of a service version: {@code bind(impl)} and {@code bindAsync(impl)} build a
 * {@code ServiceDefinition} whose handlers call the implementation and encode declared exceptions
 * into their reply arm. Procedure 0 declared {@code void (void)} is left to the server, which
 * answers the NULL ping itself; declared with a result or arguments, it is bound like the others.
 */
final class ServerGenerator {
  private final List<ProcedureModel> procedures;

  ServerGenerator(List<ProcedureModel> procedures) {
    this.procedures = procedures;
  }

  MethodSpec bind(ClassName api, Service.Version version, boolean async) {
    CodeBlock.Builder body = CodeBlock.builder()
        // Null fails here, in bind, not in every call the server takes.
        .addStatement("$T.requireNonNull(impl, $S)", Objects.class, "impl")
        // A statement per procedure, not one chain of calls: javac attributes a chain
        // recursively and overflows its stack on a version of about a thousand procedures.
        .addStatement("$T definition = $T.builder(PROGRAM, VERSION)$Z.name(SERVICE_NAME)",
            SERVICE_DEFINITION.nestedClass("Builder"), SERVICE_DEFINITION);
    for (ProcedureModel p : procedures) {
      if (p.procedure().isNullPing()) {
        continue;
      }
      if (p.procedure().oneway()) {
        body.add("definition.oneway($L, (args, context) -> {\n", p.constant()).indent()
            .addStatement("impl.$L($L)", p.method(), p.implArguments("args"))
            .addStatement("return null")
            .unindent().add("});\n");
      } else if (async) {
        body.add("definition.asyncProcedure($L, (args, context) -> ", p.constant())
            .add(asyncHandler(p)).add(");\n");
      } else {
        body.add("definition.procedure($L, (args, context) -> ", p.constant())
            .add(syncHandler(p)).add(");\n");
      }
    }
    body.addStatement("return definition.build()");
    return MethodSpec.methodBuilder(async ? "bindAsync" : "bind")
        .addJavadoc("A definition of version $L whose procedures run on {@code impl}; add it to an\n"
            + "{@code RpcServer} with {@code addService}.\n\n"
            + "@param impl the implementation; extending {@code $L} keeps it compiling when\n"
            + "    procedures are added\n"
            + "@return the definition to add to a server\n"
            + "@throws NullPointerException if {@code impl} is null\n", Integer.toUnsignedString(version.number()),
            api.simpleName() + "ImplBase")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(SERVICE_DEFINITION)
        .addParameter(api, "impl")
        .addCode(body.build())
        .build();
  }

  private CodeBlock call(ProcedureModel p) {
    return CodeBlock.of("impl.$L($L)", p.method(), p.implArguments("args"));
  }

  private CodeBlock syncHandler(ProcedureModel p) {
    if (!p.throwsExceptions()) {
      if (!p.isVoid()) {
        return call(p);
      }
      return CodeBlock.builder().add("{\n").indent()
          .addStatement("$L", call(p))
          .addStatement("return null")
          .unindent().add("}").build();
    }
    CodeBlock.Builder code = CodeBlock.builder().add("{\n").indent().beginControlFlow("try");
    if (p.isVoid()) {
      code.addStatement("$L", call(p)).addStatement("return new $T(null, null)", p.wireResultType());
    } else if (p.nullResult() != null && !p.returnType().isPrimitive()) {
      // The Reply around a null result is not null, so the server could not tell this from any
      // other encoding failure: refused here, naming the procedure (logged, SYSTEM_ERR).
      code.addStatement("return new $T($T.requireNonNull($L,\n$S), null)", p.wireResultType(),
          Objects.class, call(p), p.nullResult());
    } else {
      code.addStatement("return new $T($L, null)", p.wireResultType(), call(p));
    }
    code.nextControlFlow("catch ($L failure)", exceptionUnion(p))
        .addStatement("return new $T(null, failure)", p.wireResultType())
        .endControlFlow();
    return code.unindent().add("}").build();
  }

  private CodeBlock asyncHandler(ProcedureModel p) {
    if (!p.throwsExceptions()) {
      return call(p);
    }
    CodeBlock.Builder code = CodeBlock.builder()
        .add("$L.handle((result, failure) -> {\n", call(p)).indent()
        .addStatement("$T cause = failure instanceof $T && failure.getCause() != null"
            + "$W? failure.getCause()$W: failure", Throwable.class, COMPLETION_EXCEPTION)
        .beginControlFlow("if (cause == null)");
    if (p.nullResult() != null) {
      code.addStatement("return new $T($T.requireNonNull(result,\n$S), null)", p.wireResultType(),
          Objects.class, p.nullResult());
    } else {
      code.addStatement("return new $T(result, null)", p.wireResultType());
    }
    code.endControlFlow();
    for (ClassName exception : p.exceptions()) {
      code.beginControlFlow("if (cause instanceof $T declared)", exception)
          .addStatement("return new $T(null, declared)", p.wireResultType())
          .endControlFlow();
    }
    return code.addStatement("throw new $T(cause)", COMPLETION_EXCEPTION)
        .unindent().add("})").build();
  }

  private static CodeBlock exceptionUnion(ProcedureModel p) {
    CodeBlock.Builder types = CodeBlock.builder();
    for (int i = 0; i < p.exceptions().size(); i++) {
      types.add(i == 0 ? "$T" : " | $T", p.exceptions().get(i));
    }
    return types.build();
  }
}
