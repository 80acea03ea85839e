package org.onyxrpc.cli.json;

import com.fasterxml.jackson.databind.JsonNode;

/** What a procedure answered: its result, or one of the exceptions it declares. */
public sealed interface Outcome {
  /** The result; {@code value} is null for {@code void}. */
  record Returned(JsonNode value) implements Outcome {}

  /** A declared exception, by its IDL name, with its fields. */
  record Threw(String exception, JsonNode fields) implements Outcome {}
}
