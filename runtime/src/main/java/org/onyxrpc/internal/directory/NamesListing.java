package org.onyxrpc.internal.directory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import org.onyxrpc.directory.DirectoryTable;
import org.onyxrpc.directory.Registration;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.internal.rpcbind.FirstInOrder;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * LIST, procedure 4 of the {@link Names} program: every named instance with the time its lease
 * has left, for {@code onyx list}. rpcbind's DUMP lists the addresses but neither names nor
 * leases.
 *
 * <pre>
 * struct listed { instance entry; unsigned hyper lease_left_ms; };
 * listed LIST(void)&lt;1024&gt; = 4;
 * </pre>
 */
public final class NamesListing {
  /**
   * A named instance and how long its lease has left.
   *
   * @param instance the instance, its address as registered
   * @param leaseLeftMillis milliseconds until the lease ends unless renewed
   */
  public record Listed(ServiceInstance instance, long leaseLeftMillis) {}

  /** Its XDR codec. */
  public static final XdrCodec<Listed> LISTED = XdrCodecs.of(
      (out, l) -> {
        Names.INSTANCE.encode(out, l.instance());
        out.writeUnsignedHyper(l.leaseLeftMillis());
      },
      in -> {
        in.countObject(2);
        return new Listed(Names.INSTANCE.decode(in), in.readUnsignedHyper());
      });

  /** LIST: the named instances, by program, version, netid and address. */
  public static final Procedure<Void, List<Listed>> LIST = new Procedure<>(Names.PROGRAM, Names.VERSION, 4,
      "Directory.list", XdrCodecs.VOID, XdrCodecs.list(LISTED, Names.MAX_INSTANCES, 32))
      .withSemantics(CallSemantics.AT_LEAST_ONCE);

  private NamesListing() {}

  /** The order of a listing: by program, version, netid and address. */
  private static final Comparator<Listed> ORDER =
      Comparator.comparingLong((Listed l) -> Integer.toUnsignedLong(l.instance().program()))
          .thenComparingLong(l -> Integer.toUnsignedLong(l.instance().version()))
          .thenComparing(l -> l.instance().netid())
          .thenComparing(l -> l.instance().address());

  /**
   * The first {@code most} (and at most 1024) live named entries of {@code table} (SET's
   * unnamed, lease-less entries left out), found without sorting them all when they are more.
   */
  public static List<Listed> of(DirectoryTable table, int most) {
    return of(table, most, i -> true);
  }

  /**
   * As {@link #of(DirectoryTable, int)}, of the entries {@code shown} accepts only (before the
   * first {@code most} are taken, so that entries left out take no place in the listing).
   */
  public static List<Listed> of(DirectoryTable table, int most, Predicate<ServiceInstance> shown) {
    long now = System.currentTimeMillis(); // Registration's clock
    List<Listed> named = new ArrayList<>();
    for (Registration r : table.store().list(now)) {
      if (!r.instance().name().isEmpty() && r.expiresAtMillis() != Registration.PERMANENT
          && shown.test(r.instance())) {
        named.add(new Listed(r.instance(), Math.max(0, r.expiresAtMillis() - now)));
      }
    }
    return List.copyOf(FirstInOrder.of(named, ORDER, Math.min(most, Names.MAX_INSTANCES)));
  }
}
