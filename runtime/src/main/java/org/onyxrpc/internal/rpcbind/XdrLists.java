package org.onyxrpc.internal.rpcbind;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrException;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * The linked lists of RFC 1833 ({@code struct rp__list { rpcb rpcb_map; rp__list *rpcb_next; }}
 * and its kin): on the wire each element is preceded by TRUE and the list ends with FALSE, the
 * XDR optional-data encoding of a chain of pointers.
 */
final class XdrLists {
  /**
   * The fields of 8 bytes whose charge covers a list before its first growth: the {@code
   * ArrayList} (at most 32 bytes), its first array of 10 references (104) and the unmodifiable
   * view (24): 160 bytes, a header and 18 fields. Its elements charge themselves.
   */
  private static final int LIST_FIELDS = 18;
  /**
   * An element's share of the list's arrays, charged as an object of this many fields (24 bytes)
   * beside the 24 of its flag: each array is 1.5 times the last, so together they hold at most 4.5
   * references (36 bytes) an element, and a new array's header (16) comes once in 5 or more.
   */
  private static final int ELEMENT_FIELDS = 1;

  private XdrLists() {}

  /** A linked list of at most {@code maxLength} elements as a Java list. */
  static <T> XdrCodec<List<T>> linked(XdrCodec<T> element, int maxLength) {
    return new XdrCodec<>() {
      @Override
      public void encode(XdrWriter out, List<T> value) {
        if (value.size() > maxLength) {
          throw new XdrException("list of " + value.size() + " is over its maximum of " + maxLength);
        }
        for (T item : value) {
          out.writeOptionalFlag(true);
          element.encode(out, item);
        }
        out.writeOptionalFlag(false);
      }

      @Override
      public List<T> decode(XdrReader in) {
        in.countObject(LIST_FIELDS);
        List<T> items = new ArrayList<>();
        while (in.readOptionalFlag()) {
          if (items.size() == maxLength) {
            throw in.malformed("list is over its maximum of " + maxLength);
          }
          in.countObject(ELEMENT_FIELDS);
          items.add(element.decode(in));
        }
        return Collections.unmodifiableList(items);
      }
    };
  }
}
