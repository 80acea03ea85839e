package org.onyxrpc.health;

import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * The Onyx health protocol, modelled on grpc-java's health service: whether a server is ready
 * to serve a named service. A server that adds {@link HealthService} answers it beside its other
 * programs, on the same port.
 *
 * <pre>
 * enum serving_status { UNKNOWN = 0, SERVING = 1, NOT_SERVING = 2 };
 * program ONYX_HEALTH {
 *   version V1 {
 *     serving_status CHECK(string service&lt;255&gt;) = 1;   "" asks about the whole server
 *   } = 1;
 * } = 0x4F4E5948;
 * </pre>
 *
 * <p>The program number is in the transient range RFC 5531 leaves unassigned
 * ({@code 0x40000000–0x5fffffff}); no registered number fits. It spells "ONYH".
 */
public final class Health {
  /** The program number: "ONYH", in the transient range. */
  public static final int PROGRAM = 0x4F4E5948;
  /** The version. */
  public static final int VERSION = 1;
  /** Longest service name asked about: as long as a directory name. */
  public static final int MAX_NAME = 255;

  /** {@code serving_status} on the wire. */
  public static final XdrCodec<ServingStatus> STATUS =
      XdrCodecs.of((out, s) -> out.writeEnum(s.value()), ServingStatus::read);

  /** CHECK: the status of one service, or of the whole server for "". Safe to retry. */
  public static final Procedure<String, ServingStatus> CHECK = new Procedure<>(PROGRAM, VERSION, 1,
      "Health.check", XdrCodecs.string(MAX_NAME), STATUS).withSemantics(CallSemantics.AT_LEAST_ONCE);

  private Health() {}
}
