package org.onyxrpc.cli.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.onyxrpc.idl.schema.Schema;
import org.onyxrpc.idl.schema.SchemaFile;
import org.onyxrpc.idl.schema.Service;
import org.onyxrpc.idl.schema.TypeDecl;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrException;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * A procedure of the schema made callable at run time: its arguments are one JSON object keyed
 * by parameter name, encoded up front (so a bad value is reported before anything is sent), and
 * its reply is read into an {@link Outcome}, declared exceptions included (the result union of
 * idl-compiler/README.md, "Exception encoding").
 */
public final class DynamicProcedure {
  private final Schema schema;
  private final Service service;
  private final Service.Version version;
  private final Service.Procedure procedure;

  /**
   * The procedure {@code procedure} of {@code version} of {@code service}.
   *
   * @param schema the linked files that declare the service and the procedure's types
   * @param service the service declaring the procedure
   * @param version the version of {@code service} declaring it
   * @param procedure the procedure to call
   */
  public DynamicProcedure(Schema schema, Service service, Service.Version version, Service.Procedure procedure) {
    this.schema = schema;
    this.service = service;
    this.version = version;
    this.procedure = procedure;
  }

  /**
   * Its schema.
   *
   * @return the procedure as the IDL declares it
   */
  public Service.Procedure schema() {
    return procedure;
  }

  /**
   * {@code Service.procedure}, as messages name it.
   *
   * @return the service's and the procedure's names, joined by a dot
   */
  public String name() {
    return service.name() + "." + procedure.name();
  }

  /**
   * The service's fully qualified name, as generated code's {@code SERVICE_NAME} spells it: the
   * {@code package} of the file that declares the service, a dot, the service's name (the bare
   * name when the file has no package). Calls made through here carry it as {@link
   * Procedure#service()}, so tracing and metrics name the service the same whether a call came
   * from a generated stub or from {@code onyx call}.
   *
   * @return the qualified service name
   */
  public String serviceName() {
    for (SchemaFile file : schema.files()) {
      if (file.services().contains(service)) {
        return file.javaPackage().isEmpty() ? service.name() : file.javaPackage() + "." + service.name();
      }
    }
    return service.name(); // a service built outside the schema's files: its name is all there is
  }

  /**
   * What the IDL promises: at-least-once for {@code @idempotent}, maybe for oneway, else at-most-once.
   *
   * @return the semantics a call gets unless told otherwise
   */
  public CallSemantics defaultSemantics() {
    return procedure.oneway() ? CallSemantics.MAYBE
        : procedure.has("idempotent") ? CallSemantics.AT_LEAST_ONCE : CallSemantics.AT_MOST_ONCE;
  }

  /**
   * The XDR of the arguments: {@code args} is an object with one member per parameter (null or
   * absent when there are none).
   *
   * @param args the arguments as JSON
   * @return the encoded arguments
   * @throws JsonValueException when a value does not fit its parameter's type
   */
  public byte[] encodeArguments(JsonNode args) {
    ByteBuf buf = Unpooled.buffer();
    try {
      if (procedure.parameters().isEmpty()) {
        if (args == null || args.isNull() || args.isObject() && args.isEmpty()) {
          return new byte[0];
        }
        // Not "unknown member; expected []": nothing can go in, so say to leave it out.
        throw new JsonValueException("$", "arguments of " + name(), name() + " takes no arguments:"
            + " leave -d out (or give {})");
      }
      if (args == null) {
        throw new JsonValueException("$", "arguments of " + name(), "missing: give them with -d");
      }
      new JsonToXdr(schema).fields(procedure.parameters(), args, "$", "arguments of " + name(), new XdrWriter(buf));
      byte[] bytes = new byte[buf.readableBytes()];
      buf.readBytes(bytes);
      return bytes;
    } finally {
      buf.release();
    }
  }

  /**
   * The runtime's descriptor: pre-encoded arguments in, an {@link Outcome} out.
   *
   * @param semantics how often the call may run
   * @return the descriptor to call the procedure with
   */
  public Procedure<byte[], Outcome> procedure(CallSemantics semantics) {
    return new Procedure<>(service.program(), version.number(), procedure.number(), name(),
        PRE_ENCODED, new OutcomeCodec(), semantics).inService(serviceName());
  }

  private static final XdrCodec<byte[]> PRE_ENCODED = new XdrCodec<>() {
    @Override
    public void encode(XdrWriter out, byte[] value) {
      out.buffer().writeBytes(value);
    }

    /**
     * Reads back what {@link #encode} wrote, as the runtime does to learn whose fault a
     * GARBAGE_ARGS reply is: refusing to, this codec was blamed for it ("this client's codec is
     * at fault"), where the cause is the server's reading the same bytes otherwise.
     */
    @Override
    public byte[] decode(XdrReader in) {
      return in.readRemaining(Integer.MAX_VALUE);
    }
  };

  private final class OutcomeCodec implements XdrCodec<Outcome> {
    @Override
    public void encode(XdrWriter out, Outcome value) {
      throw new UnsupportedOperationException("results are only read");
    }

    @Override
    public Outcome decode(XdrReader in) {
      XdrToJson reader = new XdrToJson(schema);
      List<String> exceptions = procedure.throwsList();
      int arm = exceptions.isEmpty() ? 0 : in.readInt();
      in.countObject(2); // the outcome
      Outcome outcome;
      if (arm == 0) {
        outcome = new Outcome.Returned(procedure.result() == null ? null : reader.read(procedure.result(), in));
      } else if (arm > 0 && arm <= exceptions.size()) {
        String name = exceptions.get(arm - 1);
        TypeDecl.StructType e = (TypeDecl.StructType) schema.type(name);
        outcome = new Outcome.Threw(name, reader.fields(e.fields(), in));
      } else {
        throw new XdrException(name() + " answered with arm " + arm + ", which it does not declare");
      }
      if (in.remaining() > 0) {
        throw new XdrException(in.remaining() + " bytes left after the result of " + name()
            + ": the server's IDL differs from this one");
      }
      return outcome;
    }
  }
}
