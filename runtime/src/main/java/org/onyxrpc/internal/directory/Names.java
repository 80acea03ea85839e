package org.onyxrpc.internal.directory;

import java.util.List;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.UniversalAddress;
import org.onyxrpc.internal.rpcbind.Owners;
import org.onyxrpc.internal.rpcbind.Rpcb;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * The Onyx names protocol: what rpcbind lacks, served beside it on the same port. Services
 * register by name with a lease and renew it; a look-up by name returns every live instance.
 *
 * <p>Its description in rpcgen's language, for C peers, is {@code org/onyxrpc/directory/onyx_names.x}
 * in the jar (runtime/src/main/resources): program 0x20004F4E
 * version 1, REGISTER (lease granted in ms, 0 if refused), UNREGISTER (bool), LOOKUP (a name's
 * instances, at most {@link #MAX_INSTANCES}), and {@link NamesListing#LIST}; a registration is
 * name&lt;255&gt;, prog, vers, netid&lt;32&gt;, addr&lt;128&gt;, lease_ms, an instance the same
 * with owner&lt;255&gt; in place of the lease. Change the two together.
 */
public final class Names {
  /** The program number, in the range RFC 5531 leaves to users: "ON" in its low bytes. */
  public static final int PROGRAM = 0x20004F4E;
  /** The version. */
  public static final int VERSION = 1;
  /** Most instances a LOOKUP returns. */
  public static final int MAX_INSTANCES = 1024;
  /** A {@link ServiceInstance}'s components, charged for each one decoded. */
  private static final int INSTANCE_FIELDS = 6;

  private Names() {}

  /**
   * A registration request: an instance (the owner is the caller's) and the lease it asks for.
   *
   * @param instance where the service listens; its owner field is ignored
   * @param leaseMillis the lease asked for, in milliseconds
   */
  public record RegisterArgs(ServiceInstance instance, int leaseMillis) {
    /** Its XDR codec. */
    public static final XdrCodec<RegisterArgs> CODEC = XdrCodecs.of(
        (out, r) -> {
          ServiceInstance i = r.instance();
          out.writeString(i.name(), ServiceInstance.MAX_NAME);
          out.writeUnsignedInt(i.program());
          out.writeUnsignedInt(i.version());
          out.writeString(i.netid(), Rpcb.MAX_NETID);
          out.writeString(i.address(), UniversalAddress.MAX_LENGTH);
          out.writeUnsignedInt(r.leaseMillis());
        },
        in -> {
          in.countObject(2); // the registration, then its instance
          in.countObject(INSTANCE_FIELDS);
          return new RegisterArgs(new ServiceInstance(in.readString(ServiceInstance.MAX_NAME),
              in.readUnsignedInt(), in.readUnsignedInt(), in.readString(Rpcb.MAX_NETID),
              in.readString(UniversalAddress.MAX_LENGTH), Owners.UNKNOWN), in.readUnsignedInt());
        });
  }

  /** An instance as a look-up returns it. */
  public static final XdrCodec<ServiceInstance> INSTANCE = XdrCodecs.of(
      (out, i) -> {
        out.writeString(i.name(), ServiceInstance.MAX_NAME);
        out.writeUnsignedInt(i.program());
        out.writeUnsignedInt(i.version());
        out.writeString(i.netid(), Rpcb.MAX_NETID);
        out.writeString(i.address(), UniversalAddress.MAX_LENGTH);
        out.writeString(i.owner(), Rpcb.MAX_OWNER);
      },
      in -> {
        in.countObject(INSTANCE_FIELDS);
        return new ServiceInstance(in.readString(ServiceInstance.MAX_NAME), in.readUnsignedInt(),
            in.readUnsignedInt(), in.readString(Rpcb.MAX_NETID),
            in.readString(UniversalAddress.MAX_LENGTH), in.readString(Rpcb.MAX_OWNER));
      });

  /** REGISTER: adds or renews a named instance; the lease granted in ms, 0 if refused. */
  public static final Procedure<RegisterArgs, Integer> REGISTER = new Procedure<>(PROGRAM, VERSION, 1,
      "Directory.register", RegisterArgs.CODEC, XdrCodecs.UNSIGNED_INT)
      .withSemantics(CallSemantics.AT_LEAST_ONCE); // renewing is registering again
  /** UNREGISTER: removes the caller's instance. */
  public static final Procedure<RegisterArgs, Boolean> UNREGISTER = new Procedure<>(PROGRAM, VERSION, 2,
      "Directory.unregister", RegisterArgs.CODEC, XdrCodecs.BOOL);
  /** LOOKUP: every live instance of a name, with addresses the caller can reach. */
  public static final Procedure<String, List<ServiceInstance>> LOOKUP = new Procedure<>(PROGRAM, VERSION, 3,
      "Directory.lookup", XdrCodecs.string(ServiceInstance.MAX_NAME),
      XdrCodecs.list(INSTANCE, MAX_INSTANCES, 24)).withSemantics(CallSemantics.AT_LEAST_ONCE);
}
