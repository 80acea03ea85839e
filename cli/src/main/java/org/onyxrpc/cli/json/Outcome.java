package org.onyxrpc.cli.json;

import com.fasterxml.jackson.databind.JsonNode;

/** What a procedure answered: its result, or one of the exceptions it declares. */
public sealed interface Outcome {
  /**
   * The result.
   *
   * @param value the result as JSON, null for {@code void}
   */
  record Returned(JsonNode value) implements Outcome {}

  /**
   * A declared exception.
   *
   * @param exception its IDL name
   * @param fields its fields as JSON
   */
  record Threw(String exception, JsonNode fields) implements Outcome {}
}
