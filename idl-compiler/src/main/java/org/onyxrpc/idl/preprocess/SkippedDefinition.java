package org.onyxrpc.idl.preprocess;

import org.onyxrpc.idl.source.Location;

/**
 * A name that a line skipped only because idlc defines one of rpcgen's symbols would have
 * declared: BSD/OS's {@code key_prot.x} declares {@code keybuf} under {@code #ifndef RPC_SVC},
 * which {@code rpcgen -h} reads and idlc, defining all four symbols, does not.
 *
 * @param name the name declared
 * @param location where the skipped line declares it
 * @param branch the skipped branch, quoted as the hint shows it ({@code '#ifndef RPC_SVC'}, or
 *     {@code the '#else' of '#ifdef RPC_SVC'})
 * @param symbol the rpcgen symbol whose definition skips the branch
 */
public record SkippedDefinition(String name, Location location, String branch, String symbol) {
  /**
   * The hint an unknown name's error ends with.
   *
   * @return the text to append
   */
  public String hint() {
    return " (defined at " + location + " inside " + branch + ", which idlc skips because it"
        + " defines " + symbol + "; try -U " + symbol + ")";
  }
}
