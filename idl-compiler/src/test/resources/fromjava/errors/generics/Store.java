package generics;

import java.util.List;
import java.util.Optional;

/** A service with types that have no XDR form. */
@Program(0x20000501)
@NumberedInOrder
public interface Store {
  <T> T pick(T value);

  List<? extends Box<String>> wild();

  Optional<Optional<String>> twice();
}
