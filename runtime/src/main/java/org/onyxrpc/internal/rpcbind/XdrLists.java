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
        List<T> items = new ArrayList<>();
        while (in.readOptionalFlag()) {
          if (items.size() == maxLength) {
            throw new XdrException("list is over its maximum of " + maxLength);
          }
          items.add(element.decode(in));
        }
        return Collections.unmodifiableList(items);
      }
    };
  }
}
