package broken;

public record Spread(int x // the closing parenthesis is missing
    {}
