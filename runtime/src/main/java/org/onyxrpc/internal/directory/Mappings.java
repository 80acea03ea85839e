package org.onyxrpc.internal.directory;

import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.internal.rpcbind.Rpcb;

/** Directory entries in the form the rpcbind protocol carries them. */
public final class Mappings {
  private Mappings() {}

  /** The rpcbind mapping of an entry, as SET, UNSET and DUMP carry it. */
  public static Rpcb.Mapping of(ServiceInstance instance) {
    return new Rpcb.Mapping(instance.program(), instance.version(), instance.netid(),
        instance.address(), instance.owner());
  }
}
