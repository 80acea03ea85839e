package com.example.greet;

/** The server side: implements the interface generated from greeter.idl. */
public final class FriendlyGreeter implements GreeterV1.Greeter {
  @Override
  public String greet(Name who) {
    return "Hello, " + who.first() + (who.last() == null ? "" : " " + who.last()) + "!";
  }
}
