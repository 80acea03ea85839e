package org.onyxrpc.idl.javagen;

import static org.onyxrpc.idl.javagen.RuntimeTypes.COMPLETABLE_FUTURE;
import static org.onyxrpc.idl.javagen.RuntimeTypes.RPC_EXCEPTION;
import static org.onyxrpc.idl.javagen.RuntimeTypes.RPC_STATUS;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import java.util.List;
import javax.lang.model.element.Modifier;
import org.onyxrpc.idl.schema.Service;

/**
 * The evolution-safe base a server extends, in the manner of grpc-java's {@code *ImplBase}: it
 * implements the service interface with every procedure answering PROC_UNAVAIL, so a server
 * written against one version of the IDL keeps compiling, and answering what it knows, when
 * procedures are added. Clients keep the interface, where every procedure is abstract.
 */
final class ImplBaseGenerator {
  private final List<ProcedureModel> procedures;

  ImplBaseGenerator(List<ProcedureModel> procedures) {
    this.procedures = procedures;
  }

  TypeSpec implBase(ClassName name, ClassName api, Service service, Service.Version version,
      boolean async) {
    TypeSpec.Builder type = TypeSpec.classBuilder(name)
        .addModifiers(Modifier.PUBLIC, Modifier.ABSTRACT, Modifier.STATIC)
        .addSuperinterface(api)
        .addJavadoc("A base for $L servers of {@code $L} version $L: a procedure not overridden\n"
            + "answers {@code PROC_UNAVAIL}, so a server that extends this class keeps compiling\n"
            + "when procedures are added to the IDL. Pass it to {@link #$L}.\n",
            async ? "asynchronous" : "blocking", service.name(),
            Integer.toUnsignedString(version.number()), async ? "bindAsync" : "bind")
        .addMethod(MethodSpec.constructorBuilder()
            .addModifiers(Modifier.PROTECTED)
            .addJavadoc("For subclasses.\n")
            .build());
    for (ProcedureModel p : procedures) {
      if (p.procedure().isNullPing()) {
        // The server answers the NULL ping itself; the method is there only for clients.
        MethodSpec.Builder ping = ClientGenerator.bareSignature(p).addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC);
        type.addMethod((async ? ping.returns(ServiceGenerator.future(p.resultType()))
            .addStatement("return $T.completedFuture(null)", COMPLETABLE_FUTURE)
            : ping.returns(p.returnType())).build());
        continue;
      }
      CodeBlock unavailable = CodeBlock.of("new $T($T.PROC_UNAVAIL, $S)", RPC_EXCEPTION, RPC_STATUS,
          p.procedure().name() + " is not implemented by this server");
      MethodSpec.Builder method = ClientGenerator.bareSignature(p).addAnnotation(Override.class)
          .addModifiers(Modifier.PUBLIC);
      if (async) {
        method.returns(ServiceGenerator.future(p.resultType()))
            .addStatement("return $T.failedFuture($L)", COMPLETABLE_FUTURE, unavailable);
      } else {
        p.exceptions().forEach(method::addException);
        method.returns(p.returnType()).addStatement("throw $L", unavailable);
      }
      type.addMethod(method.build());
    }
    return type.build();
  }
}
