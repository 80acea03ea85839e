package shop;

import java.util.List;

public record Basket(String owner, List<List<String>> lines, Status status, Outcome outcome) {}
