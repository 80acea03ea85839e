package org.onyxrpc.cli.json;

/**
 * A JSON value that does not fit the IDL type it stands for, told as {@code $.path (idl type):
 * problem}, e.g. {@code $.b (hyper): "x" is not a whole number}.
 */
public final class JsonValueException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  JsonValueException(String path, String idlType, String problem) {
    super(path + " (" + idlType + "): " + problem);
  }
}
