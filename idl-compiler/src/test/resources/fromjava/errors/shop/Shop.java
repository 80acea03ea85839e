package shop;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@Program(0x20000500)
public interface Shop {
  @Procedure(1)
  Map<String, Basket> baskets();

  Basket basket(String owner);

  @Procedure(3)
  void save(Basket basket) throws IOException;

  @Procedure(3)
  List<Integer> counts();

  @Oneway
  @Procedure(4)
  int ping();

  @Procedure(5)
  Optional<Basket> find(String owner) throws Closed;

  @Procedure(6)
  void pay(Wallet wallet, short cents);

  @Procedure(7)
  void version(String string);

  @Procedure(8)
  void clear() throws IllegalStateException;
}
