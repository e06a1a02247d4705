package dev.gradgen.gradbench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gradgen.gradbench.evals.Evals;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * gradgen as a GradBench tool: reads the eval's messages, one JSON object per line, from stdin
 * and writes one response line for each to stdout, in one long-lived JVM so that the JIT's work
 * carries over from one evaluation to the next.
 *
 * <ul>
 *   <li>{@code start}: the tool's name;
 *   <li>{@code define}: success if this tool has the module, else an error listing those it has;
 *   <li>{@code evaluate}: the function's output and one {@code evaluate} timing per run. The
 *       input is read into arrays first and the output written after; neither is timed. The
 *       function runs at least {@code min_runs} times and until the runs add up to
 *       {@code min_seconds} (1 run and 0 seconds when the input has no such fields);
 *   <li>any other kind: the id alone.
 * </ul>
 *
 * A message that is no JSON object, names an unknown module or function, or has an input of the
 * wrong shape gets {@code "success": false} and an error string, and the tool goes on serving.
 */
public final class Tool {
  /** The tool's name in GradBench. */
  public static final String NAME = "gradgen";

  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, EvalModule> modules;

  /**
   * A tool serving these modules.
   *
   * @param modules the modules
   */
  public Tool(List<EvalModule> modules) {
    Map<String, EvalModule> byName = new TreeMap<>();
    for (EvalModule m : modules) {
      byName.put(m.name(), m);
    }
    this.modules = byName;
  }

  /**
   * Serves GradBench's protocol on stdin and stdout until stdin ends.
   *
   * @param args none
   * @throws IOException if stdin or stdout fails
   */
  public static void main(String[] args) throws IOException {
    if (args.length > 0) {
      System.err.println("usage: java -jar gradbench.jar  (GradBench's protocol on stdin/stdout;"
          + " modules: " + String.join(", ", new Tool(Evals.all()).modules.keySet()) + ")");
      System.exit(2);
    }
    new Tool(Evals.all()).serve(new InputStreamReader(System.in, StandardCharsets.UTF_8),
        new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
  }

  /**
   * Serves messages from {@code in} until it ends, one response line each on {@code out}.
   *
   * @param in the eval's messages
   * @param out where the responses go, flushed after each
   * @throws IOException if reading or writing fails
   */
  public void serve(Reader in, Writer out) throws IOException {
    BufferedReader lines = new BufferedReader(in);
    PrintWriter writer = new PrintWriter(out);
    String line;
    while ((line = lines.readLine()) != null) {
      if (line.isBlank()) {
        continue;
      }
      writer.println(respond(line));
      writer.flush();
      if (writer.checkError()) {
        throw new IOException("stdout closed");
      }
    }
  }

  /**
   * The response to one message.
   *
   * @param line the message, one JSON object
   * @return the response, one line of JSON
   */
  public String respond(String line) {
    ObjectNode response = json.createObjectNode();
    JsonNode message;
    try {
      message = json.readTree(line);
    } catch (JsonProcessingException e) {
      response.putNull("id");
      return failure(response, "malformed message, not JSON: " + e.getOriginalMessage());
    }
    if (message == null || !message.isObject()) {
      response.putNull("id");
      return failure(response, "malformed message: expected a JSON object");
    }
    JsonNode id = message.get("id");
    if (id == null) {
      response.putNull("id");
    } else {
      response.set("id", id);
    }
    JsonNode kind = message.get("kind");
    String k = kind != null && kind.isTextual() ? kind.textValue() : "";
    try {
      switch (k) {
        case "start" -> response.put("tool", NAME);
        case "define" -> define(message, response);
        case "evaluate" -> evaluate(message, response);
        default -> {
          // analysis, and any kind the protocol adds later: acknowledged by id
        }
      }
    } catch (BadInput e) {
      return failure(response, e.getMessage());
    } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
      return failure(response, e.getClass().getName() + ": " + e.getMessage());
    }
    return write(response);
  }

  private void define(JsonNode message, ObjectNode response) {
    EvalModule m = module(message);
    response.put("success", m != null);
    if (m == null) {
      response.put("error", unknownModule(message));
    }
  }

  private void evaluate(JsonNode message, ObjectNode response) {
    EvalModule m = module(message);
    if (m == null) {
      throw new BadInput(unknownModule(message));
    }
    JsonNode name = message.get("function");
    Function f = name != null && name.isTextual() ? m.functions().get(name.textValue()) : null;
    if (f == null) {
      throw new BadInput("module " + m.name() + " has no function " + name + "; it has "
          + String.join(", ", new TreeMap<>(m.functions()).keySet()));
    }
    JsonNode input = message.get("input");
    int minRuns = 1;
    double minSeconds = 0;
    if (input != null && input.isObject() && input.has("min_runs")) {
      minRuns = Inputs.integer(input, "min_runs", 1);
    }
    if (input != null && input.isObject() && input.has("min_seconds")) {
      minSeconds = Inputs.number(input, "min_seconds");
    }
    Function.Run run = f.prepare(input);
    List<Long> nanos = new ArrayList<>();
    Object output = null;
    long total = 0;
    do {
      long t0 = System.nanoTime();
      output = run.run();
      long t = System.nanoTime() - t0;
      nanos.add(t);
      total += t;
    } while (nanos.size() < minRuns || total < minSeconds * 1e9);
    response.put("success", true);
    if (output instanceof Function.Reported reported) {
      output = reported.reported();
    }
    response.set("output", json.valueToTree(output));
    ArrayNode timings = response.putArray("timings");
    for (long t : nanos) {
      timings.addObject().put("name", "evaluate").put("nanoseconds", t);
    }
  }

  private EvalModule module(JsonNode message) {
    JsonNode name = message.get("module");
    return name != null && name.isTextual() ? modules.get(name.textValue()) : null;
  }

  private String unknownModule(JsonNode message) {
    return "gradgen has no module " + message.get("module") + "; it has "
        + String.join(", ", modules.keySet());
  }

  private String failure(ObjectNode response, String error) {
    response.remove("output");
    response.remove("timings");
    response.put("success", false);
    response.put("error", error);
    return write(response);
  }

  private String write(ObjectNode response) {
    try {
      return json.writeValueAsString(response);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a response that Jackson cannot write", e);
    }
  }
}
