package broken;

public enum Unfinished { A, B
