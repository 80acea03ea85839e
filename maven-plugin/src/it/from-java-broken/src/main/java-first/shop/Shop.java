package shop;

import java.util.Map;

public interface Shop {
  @Procedure(1)
  Map<String, Integer> stock();
}
