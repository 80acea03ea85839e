package org.onyxrpc.directory.remote;

import static org.onyxrpc.internal.Checks.positive;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import org.onyxrpc.client.RpcClientBuilder;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.transport.Transport;

/**
 * Configures a {@link DirectoryClient}. The instances are found either by service name (every
 * instance registered under it) or by program and version (every address the directory has for
 * them, rpcbind's entries included); each call then goes to an instance of the called
 * procedure's program version.
 */
public final class DirectoryClientBuilder {
  private Directory directory = Directory.embedded();
  private String name;
  private int program;
  private int version;
  private Transport transport = Transport.TCP;
  private Duration cacheTtl = Duration.ofSeconds(30);
  private Duration dropFor = Duration.ofSeconds(10);
  private int maxInstances = 64;
  private Consumer<RpcClientBuilder> clientOptions = b -> {};

  DirectoryClientBuilder() {}

  /**
   * Where to look; default {@link Directory#embedded()}, this process's directory.
   *
   * @param directory such as {@code RemoteDirectory.at(host)}; not null
   * @return this builder
   */
  public DirectoryClientBuilder directory(Directory directory) {
    this.directory = Objects.requireNonNull(directory, "directory");
    return this;
  }

  /**
   * Finds the instances registered under this service name.
   *
   * @param name the service's name, such as {@code "com.example.calc.Calculator"}; not null
   * @return this builder
   */
  public DirectoryClientBuilder service(String name) {
    this.name = Objects.requireNonNull(name, "name");
    return this;
  }

  /**
   * Finds the instances of this program version, as clnt_create does.
   *
   * @param program the program number, not 0
   * @param version the version number
   * @return this builder
   */
  public DirectoryClientBuilder program(int program, int version) {
    this.name = null;
    this.program = program;
    this.version = version;
    return this;
  }

  /**
   * The transport to call over: TCP (default) or UDP; instances on the other are ignored.
   *
   * @param transport TCP or UDP; not null
   * @return this builder
   */
  public DirectoryClientBuilder transport(Transport transport) {
    this.transport = Objects.requireNonNull(transport, "transport");
    return this;
  }

  /**
   * How long a look-up is trusted before it is made again; default 30 s.
   *
   * @param ttl more than zero
   * @return this builder
   * @throws IllegalArgumentException if {@code ttl} is zero or negative
   */
  public DirectoryClientBuilder cacheTtl(Duration ttl) {
    this.cacheTtl = positive(ttl, "cacheTtl");
    return this;
  }

  /**
   * How long an instance that failed is left out; default 10 s.
   *
   * @param duration more than zero
   * @return this builder
   * @throws IllegalArgumentException if {@code duration} is zero or negative
   */
  public DirectoryClientBuilder dropFor(Duration duration) {
    this.dropFor = positive(duration, "dropFor");
    return this;
  }

  /**
   * Most instances of each program version used at once; default 64. Of each version a look-up
   * found (by name, every version of the service; by number, the one asked), the first this many
   * entries that the client can call count: over its transport, at an IP address and a port
   * other than 0. So a version called is never left without instances by the entries of others.
   * A connection is held per instance in use, shared by the versions it serves: at most this
   * many per version called.
   *
   * @param max at least 1
   * @return this builder
   * @throws IllegalArgumentException if {@code max} is under 1
   */
  public DirectoryClientBuilder maxInstances(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("maxInstances must be at least 1: " + max);
    }
    this.maxInstances = max;
    return this;
  }

  /**
   * Options for the client of each instance (timeout, credentials, limits); the address and
   * the transport are set by the directory client.
   *
   * @param options applied to each instance's client builder; not null
   * @return this builder
   */
  public DirectoryClientBuilder clientOptions(Consumer<RpcClientBuilder> options) {
    this.clientOptions = Objects.requireNonNull(options, "options");
    return this;
  }

  /**
   * The client; it looks up on its first call.
   *
   * @return a new client, which the caller closes
   * @throws IllegalStateException if neither a service name nor a program was given
   */
  public DirectoryClient build() {
    if (name == null && program == 0) {
      throw new IllegalStateException("service(name) or program(program, version) is required");
    }
    return new DirectoryClient(new DirectoryClientConfig(directory, name, program, version,
        transport, cacheTtl, dropFor, maxInstances, clientOptions));
  }
}
