package broken;

public interface Broken {
  int size(;
}
