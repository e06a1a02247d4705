package dev.gradgen.gradbench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gradgen.gradbench.evals.Evals;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** A protocol session: messages as the eval writes them, one per line, and the tool's lines. */
final class Session {
  static final ObjectMapper JSON = new ObjectMapper();

  private final List<String> lines = new ArrayList<>();
  private int id;

  /** Adds a message, numbered from 0. */
  Session send(ObjectNode message) {
    ObjectNode m = JSON.createObjectNode().put("id", id++);
    m.setAll(message);
    lines.add(m.toString());
    return this;
  }

  /** Adds a raw line, as it is. */
  Session sendRaw(String line) {
    lines.add(line);
    return this;
  }

  Session start(String eval) {
    return send(JSON.createObjectNode().put("kind", "start").put("eval", eval));
  }

  Session define(String module) {
    return send(JSON.createObjectNode().put("kind", "define").put("module", module));
  }

  Session evaluate(String module, String function, JsonNode input) {
    ObjectNode m = JSON.createObjectNode().put("kind", "evaluate").put("module", module)
        .put("function", function);
    m.set("input", input);
    return send(m);
  }

  Session analysis(int of) {
    return send(JSON.createObjectNode().put("kind", "analysis").put("of", of).put("valid", true));
  }

  /** Runs the session through one tool; one response per message, in order. */
  List<JsonNode> run() {
    StringWriter out = new StringWriter();
    try {
      new Tool(Evals.all()).serve(new StringReader(String.join("\n", lines) + "\n"), out);
      List<JsonNode> responses = new ArrayList<>();
      for (String line : out.toString().split("\n")) {
        responses.add(JSON.readTree(line));
      }
      if (responses.size() != lines.size()) {
        throw new AssertionError(lines.size() + " messages, " + responses.size() + " responses");
      }
      return responses;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An input object with {@code min_runs} and {@code min_seconds}, as the evals send. */
  static ObjectNode runs(int minRuns, double minSeconds) {
    return JSON.createObjectNode().put("min_runs", minRuns).put("min_seconds", minSeconds);
  }

  static ObjectNode put(ObjectNode o, String name, Object value) {
    o.set(name, JSON.valueToTree(value));
    return o;
  }
}
