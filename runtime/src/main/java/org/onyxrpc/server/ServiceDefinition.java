package org.onyxrpc.server;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.ProgramVersion;

/**
 * The procedures of one program version and the handlers that run them: what a server exports.
 * Generated skeletons build one from a service implementation; hand-written ones look like this:
 *
 * <pre>{@code
 * ServiceDefinition calculator = ServiceDefinition.builder(0x20000101, 1)
 *     .procedure(ADD, (args, ctx) -> args.a() + args.b())
 *     .oneway(LOG, (line, ctx) -> { System.out.println(line); return null; })
 *     .build();
 * }</pre>
 *
 * <p>Procedure 0, the NULL ping of RFC 5531, is answered by the server for every definition
 * that does not add it. A definition may add it when its program declares procedure 0 with a
 * result or arguments, as rpcgen allows (OpenSolaris' {@code metacl.x}); the handler then runs,
 * and its reply carries the result (clients' pings read none of it).
 */
public final class ServiceDefinition {
  private final ProgramVersion programVersion;
  private final String name;
  private final Map<Integer, ServerMethod<?, ?>> methods;

  private ServiceDefinition(Builder builder) {
    this.programVersion = builder.programVersion;
    this.name = builder.name;
    this.methods = Map.copyOf(builder.methods);
  }

  /**
   * The definition for a log line: {@code ServiceDefinition[com.example.calc.Calculator, program
   * 0x20000101 version 1, 4 procedures]} (without a name, the numbers only).
   *
   * @return the description, one line
   */
  @Override
  public String toString() {
    return "ServiceDefinition[" + (name == null ? "" : RateLimitedLog.shortText(name) + ", ") + programVersion
        + ", " + methods.size() + (methods.size() == 1 ? " procedure]" : " procedures]");
  }

  /**
   * Starts a definition of {@code version} of {@code program}.
   *
   * @param program the program number
   * @param version the version number
   * @return an empty builder
   */
  public static Builder builder(int program, int version) {
    return new Builder(new ProgramVersion(program, version));
  }

  /**
   * The program and version exported.
   *
   * @return the numbers given to {@link #builder}
   */
  public ProgramVersion programVersion() {
    return programVersion;
  }

  /**
   * The service's name, e.g. {@code "com.example.calc.Calculator"}, under which the server
   * registers it in its directory; null when it has none (then only its numbers are registered).
   *
   * @return the name, or null
   */
  public String name() {
    return name;
  }

  /** The method for a procedure number, or null. */
  ServerMethod<?, ?> method(int procedure) {
    return methods.get(procedure);
  }

  /** Collects procedures; rejects duplicates and procedures of another program version. */
  public static final class Builder {
    private final ProgramVersion programVersion;
    private final Map<Integer, ServerMethod<?, ?>> methods = new TreeMap<>();
    private String name;

    private Builder(ProgramVersion programVersion) {
      this.programVersion = programVersion;
    }

    /**
     * Names the service, as the IDL does ({@code "com.example.calc.Calculator"}); clients of the
     * directory find every instance of it by this name. Generated {@code bind} methods set it.
     *
     * @param name the service's name, not empty
     * @return this builder
     * @throws IllegalArgumentException if {@code name} is empty
     */
    public Builder name(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("a service name cannot be empty");
      }
      this.name = name;
      return this;
    }

    /**
     * Adds a procedure whose handler returns its result.
     *
     * @param procedure a procedure of this program version
     * @param handler runs each call, on the server's executor
     * @param <A> the arguments' type
     * @param <R> the result's type
     * @return this builder
     * @throws IllegalArgumentException if the procedure is of another program version, or its
     *     number was added already
     */
    public <A, R> Builder procedure(Procedure<A, R> procedure, ProcedureHandler<A, R> handler) {
      return add(ServerMethod.sync(procedure, handler, false));
    }

    /**
     * Adds a procedure whose handler completes its result later.
     *
     * @param procedure a procedure of this program version
     * @param handler starts each call and returns the future of its result
     * @param <A> the arguments' type
     * @param <R> the result's type
     * @return this builder
     * @throws IllegalArgumentException if the procedure is of another program version, or its
     *     number was added already
     */
    public <A, R> Builder asyncProcedure(
        Procedure<A, R> procedure, AsyncProcedureHandler<A, R> handler) {
      return add(ServerMethod.async(procedure, handler));
    }

    /**
     * Adds a one-way procedure: it runs, and no reply is sent (RFC 5531 §7.4.1 batching).
     *
     * @param procedure a procedure of this program version, with no result
     * @param handler runs each call; what it returns is dropped
     * @param <A> the arguments' type
     * @return this builder
     * @throws IllegalArgumentException if the procedure is of another program version, or its
     *     number was added already
     */
    public <A> Builder oneway(Procedure<A, Void> procedure, ProcedureHandler<A, Void> handler) {
      return add(ServerMethod.sync(procedure, handler, true));
    }

    private Builder add(ServerMethod<?, ?> method) {
      Procedure<?, ?> p = method.procedure();
      if (p.program() != programVersion.program() || p.version() != programVersion.version()) {
        throw new IllegalArgumentException(p.describe() + " does not belong to " + programVersion);
      }
      if (methods.putIfAbsent(p.number(), method) != null) {
        throw new IllegalArgumentException("procedure " + p.number() + " added twice to " + programVersion);
      }
      return this;
    }

    /**
     * The immutable definition.
     *
     * @return a definition to add to any number of servers; later changes to this builder do not
     *     reach it
     */
    public ServiceDefinition build() {
      return new ServiceDefinition(this);
    }
  }
}
