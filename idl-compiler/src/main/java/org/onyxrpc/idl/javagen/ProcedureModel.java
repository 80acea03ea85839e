package org.onyxrpc.idl.javagen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.List;
import org.onyxrpc.idl.schema.Field;
import org.onyxrpc.idl.schema.Service;

/**
 * Everything the holder, client and server generators need to know about one procedure, decided
 * once: Java names, the argument and result types on the wire, and the codecs.
 *
 * <p>Arguments: none travel as {@code Void}; one travels as itself, which the stub refuses as
 * null with {@code nullArgument} unless its type has a null (primitive, optional data: then
 * {@code nullArgument} is null); several travel as a generated {@code <Name>Args} record encoded
 * as the parameters in order (rpcgen -N), which refuses null itself. Results of
 * a procedure with {@code throws} travel as a {@code Reply<R>} union: arm 0 the result, arm N the
 * N-th declared exception; the skeleton refuses a null result there with {@code nullResult} (null
 * when the result may be null), as the server cannot see it inside the reply.
 */
record ProcedureModel(
    Service.Procedure procedure,
    String method,
    String constant,
    List<String> parameterNames,
    List<TypeName> parameterTypes,
    TypeName argsType,
    CodeBlock argsCodec,
    TypeSpec argsRecord,
    TypeName returnType,
    TypeName resultType,
    TypeName wireResultType,
    String replyCodecConstant,
    List<ClassName> exceptions,
    String nullArgument,
    String nullResult) {

  static List<ProcedureModel> of(JavaTypes types, Service.Version version, ClassName holder,
      ClassName reply) {
    Names.Allocator methods = new Names.Allocator("newClient", "newAsyncClient", "bind", "bindAsync");
    Names.Allocator constants = new Names.Allocator("PROGRAM", "VERSION", "SERVICE_NAME");
    Names.Allocator nested = new Names.Allocator(holder.simpleName(), reply.simpleName(), "Stub",
        "AsyncStub").reserve(types.reservedNestedNames(holder));
    List<ProcedureModel> result = new ArrayList<>();
    List<String> constantNames = Names.constants(
        version.procedures().stream().map(Service.Procedure::name).toList(), constants);
    for (Service.Procedure procedure : version.procedures()) {
      String constant = constantNames.get(result.size());
      String method = methods.allocate(Names.camel(procedure.name()));
      List<String> parameterNames = StructGenerator.fieldNames(procedure.parameters());
      List<TypeName> parameterTypes = new ArrayList<>();
      procedure.parameters().forEach(p -> parameterTypes.add(types.java(p.type())));
      TypeName argsType;
      CodeBlock argsCodec;
      TypeSpec argsRecord = null;
      String nullArgument = null;
      List<Field> parameters = procedure.parameters();
      if (parameters.isEmpty()) {
        argsType = ClassName.get(Void.class);
        argsCodec = CodeBlock.of("$T.VOID", RuntimeTypes.XDR_CODECS);
      } else if (parameters.size() == 1) {
        argsType = types.boxed(parameters.get(0).type());
        argsCodec = CodecWriter.codecFor(types, parameters.get(0).type());
        // One argument travels as itself, with no record to refuse null: the stub does.
        nullArgument = StructGenerator.nullMessage(types,
            holder.simpleName() + "." + method, parameters.get(0).type(),
            parameterNames.get(0));
      } else {
        ClassName args = holder.nestedClass(nested.allocate(Names.pascal(procedure.name()) + "Args"));
        argsType = args;
        argsCodec = CodeBlock.of("$T.CODEC", args);
        // How several arguments travel is the stub's and the skeleton's business, not the user's.
        argsRecord = new StructGenerator(types).record(args, parameters,
            Docs.of("The parameters of {@code " + procedure.name() + "}, encoded in order.", null,
                parameters, parameterNames));
      }
      TypeName returnType = procedure.result() == null ? TypeName.VOID : types.java(procedure.result());
      TypeName resultType = procedure.result() == null ? ClassName.get(Void.class)
          : types.boxed(procedure.result());
      List<ClassName> exceptions = procedure.throwsList().stream().map(types::className).toList();
      TypeName wireResultType = exceptions.isEmpty() ? resultType
          : ParameterizedTypeName.get(reply, resultType);
      String replyCodec = exceptions.isEmpty() ? null : constants.allocate(constant + "_REPLY");
      result.add(new ProcedureModel(procedure, method, constant, parameterNames, parameterTypes,
          argsType, argsCodec, argsRecord, returnType, resultType, wireResultType, replyCodec,
          exceptions, nullArgument, StructGenerator.nullResultMessage(types,
              holder.simpleName() + "." + method, procedure.result())));
    }
    return result;
  }

  /** The argument value built from the method's parameters, in the stub. */
  CodeBlock argsValue() {
    if (parameterNames.isEmpty()) {
      return CodeBlock.of("null");
    }
    if (parameterNames.size() == 1) {
      return CodeBlock.of("$L", parameterNames.get(0));
    }
    return CodeBlock.of("new $T($L)", argsType, String.join(", ", parameterNames));
  }

  /** The method's arguments taken from the decoded argument value {@code args}, in the skeleton. */
  CodeBlock implArguments(String args) {
    if (parameterNames.isEmpty()) {
      return CodeBlock.of("");
    }
    if (parameterNames.size() == 1) {
      return CodeBlock.of("$L", args);
    }
    List<String> accessors = new ArrayList<>();
    parameterNames.forEach(name -> accessors.add(args + "." + name + "()"));
    return CodeBlock.of("$L", String.join(", ", accessors));
  }

  boolean isVoid() {
    return procedure.result() == null;
  }

  boolean throwsExceptions() {
    return !exceptions.isEmpty();
  }
}
