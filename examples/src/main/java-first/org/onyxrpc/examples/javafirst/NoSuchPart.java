package org.onyxrpc.examples.javafirst;

/** No part has that id. */
public final class NoSuchPart extends Exception {
  private static final long serialVersionUID = 1L;

  private final String id;

  public NoSuchPart(String id) {
    super("no part " + id);
    this.id = id;
  }

  public String id() {
    return id;
  }
}
