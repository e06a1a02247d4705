package dev.gradgen.gradbench;

import static dev.gradgen.gradbench.Session.put;
import static dev.gradgen.gradbench.Session.runs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The protocol's edges: each bad message gets {@code "success": false} and an error string
 * saying what is wrong, and the tool keeps serving the next message; the runs go on until both
 * {@code min_runs} and {@code min_seconds} are reached.
 */
class ProtocolTest {

  /** The response to {@code bad}, after checking that a good message after it is answered. */
  private static JsonNode failure(Session bad) {
    List<JsonNode> r = bad.evaluate("hello", "double", Session.JSON.valueToTree(2.5)).run();
    JsonNode after = r.get(r.size() - 1);
    assertEquals(5.0, Check.output(after, 1).doubleValue(), 0, "served after the bad message");
    JsonNode response = r.get(r.size() - 2);
    assertFalse(response.get("success").asBoolean(), response::toString);
    assertTrue(response.get("error").isTextual());
    assertFalse(response.has("output"));
    return response;
  }

  private static String error(String module, String function, ObjectNode input) {
    JsonNode r = failure(new Session().evaluate(module, function, input));
    assertEquals(0, r.get("id").asInt());
    return r.get("error").asText();
  }

  @Test
  void malformedLines() {
    JsonNode notJson = failure(new Session().sendRaw("{\"id\": 0, \"kind\": \"start\""));
    assertTrue(notJson.get("id").isNull());
    assertTrue(notJson.get("error").asText().startsWith("malformed message, not JSON"),
        notJson::toString);
    JsonNode notObject = failure(new Session().sendRaw("[1, 2]"));
    assertEquals("malformed message: expected a JSON object", notObject.get("error").asText());
  }

  @Test
  void otherKindsAreAcknowledgedByIdAlone() {
    List<JsonNode> r = new Session()
        .send(put(Session.JSON.createObjectNode().put("kind", "end"), "extra", 1))
        .analysis(0).run();
    assertEquals("{\"id\":0}", r.get(0).toString());
    assertEquals("{\"id\":1}", r.get(1).toString());
  }

  @Test
  void unknownModule() {
    JsonNode define = failure(new Session().define("hessian-of-everything"));
    assertEquals("gradgen has no module \"hessian-of-everything\"; it has ba, det, gmm, hello,"
        + " ht, kmeans, llsq, lse, lstm, ode", define.get("error").asText());
    assertEquals("gradgen has no module \"saddle\"; it has ba, det, gmm, hello, ht, kmeans,"
        + " llsq, lse, lstm, ode", error("saddle", "rr", runs(1, 0)));
  }

  @Test
  void unknownFunction() {
    assertEquals("module llsq has no function \"hessian\"; it has gradient, primal",
        error("llsq", "hessian", runs(1, 0)));
    assertEquals("module lse has no function null; it has gradient, primal",
        error("lse", null, runs(1, 0)));
  }

  @Test
  void wrongShapes() {
    assertEquals("input.x: missing", error("llsq", "gradient", put(runs(1, 0), "n", 4)));
    assertEquals("input.n: expected an integer, got string \"4\"",
        error("llsq", "gradient", put(put(runs(1, 0), "x", new double[] {1}), "n", "4")));
    assertEquals("input.x[1]: expected a number, got string \"b\"",
        error("lse", "primal", put(runs(1, 0), "x", List.of(1, "b"))));
    assertEquals("input.x: expected at least 1 numbers, got 0",
        error("lse", "gradient", put(runs(1, 0), "x", new double[0])));
    assertEquals("input.A: expected ell * ell = 9 numbers, got 4",
        error("det", "gradient", put(put(runs(1, 0), "A", new double[4]), "ell", 3)));
    assertEquals("input.centroids[0]: expected 2 numbers, got 3", error("kmeans", "dir",
        put(put(runs(1, 0), "points", new double[3][2]), "centroids", new double[1][3])));
    assertEquals("input.points[1]: expected 2 numbers like row 0, got 1", error("kmeans", "cost",
        put(put(runs(1, 0), "points", new double[][] {{1, 2}, {3}}), "centroids",
            new double[1][2])));
    assertEquals("input.s: expected at least 1, got 0",
        error("ode", "gradient", put(put(runs(1, 0), "x", new double[3]), "s", 0)));
    assertEquals("input.min_runs: expected at least 1, got 0",
        error("ode", "primal", put(put(runs(0, 0), "x", new double[3]), "s", 1)));
    assertEquals("input: expected an object with the field \"x\", got number 3",
        errorOf("ode", "primal", 3));
    assertEquals("input: expected an object with the field \"x\", got null",
        errorOf("ode", "gradient", null));
    ObjectNode lstm = runs(1, 0);
    put(lstm, "sequence", new double[4][3]);
    put(lstm, "state", new double[4][3]);
    put(lstm, "main_params", new double[4][11]);
    put(lstm, "extra_params", new double[3][3]);
    assertEquals("input.main_params[0]: expected 12 numbers, got 11",
        error("lstm", "jacobian", lstm));
    ObjectNode gmm = runs(1, 0).put("d", 2).put("k", 2).put("n", 1).put("m", 0)
        .put("gamma", 1.0);
    put(gmm, "alpha", new double[2]);
    put(gmm, "mu", new double[2][2]);
    put(gmm, "q", new double[2][2]);
    put(gmm, "l", new double[2][3]);
    put(gmm, "x", new double[1][2]);
    assertEquals("input.l[0]: expected 1 numbers, got 3", error("gmm", "jacobian", gmm));
    ObjectNode ba = runs(1, 0).put("n", 1).put("m", 1).put("p", 1).put("w", 1.0);
    put(ba, "cam", new double[10]);
    put(ba, "x", new double[3]);
    put(ba, "feat", new double[2]);
    assertEquals("input.cam: expected 11 numbers, got 10", error("ba", "jacobian", ba));
    put(ba, "cam", new double[11]);
    ba.put("p", 0);
    assertEquals("input.p: expected at least 1, got 0", error("ba", "objective", ba));
    ba.put("p", 69_273_666);
    assertEquals("input.p: expected at most 69273665 observations (31 Jacobian entries each in"
        + " one Java array), got 69273666", error("ba", "jacobian", ba));
  }

  @Test
  void wrongHtShapes() throws IOException {
    ObjectNode good = EvalsTest.hand(true);
    good.put("min_runs", 1).put("min_seconds", 0);
    ObjectNode us = good.deepCopy();
    put(us, "us", new double[99][2]);
    assertEquals("input.us: expected none or one pair per correspondence (100), got 99",
        error("ht", "jacobian", us));
    ObjectNode corner = good.deepCopy();
    ((ArrayNode) at(corner, "data", "model", "triangles").get(5)).set(1, 544);
    assertEquals("input.data.model.triangles[5][1]: expected an integer in [0, 544), got 544",
        error("ht", "objective", corner));
    ObjectNode parents = good.deepCopy();
    at(parents, "data", "model", "parents").set(3, 7);
    assertEquals("input.data.model.parents[3]: expected a parent before bone 3 (or -1), got 7",
        error("ht", "jacobian", parents));
    ObjectNode relatives = good.deepCopy();
    ((ArrayNode) at(relatives, "data", "model", "base_relatives").get(2)).remove(3);
    assertEquals("input.data.model.base_relatives[2]: expected 4 rows, got 3",
        error("ht", "objective", relatives));
    ObjectNode points = good.deepCopy();
    at(points, "data", "points").remove(0);
    assertEquals("input.data.points: expected 100 rows, got 99", error("ht", "objective", points));
    ObjectNode theta = good.deepCopy();
    put(theta, "theta", new double[25]);
    assertEquals("input.theta: expected 26 numbers, got 25", error("ht", "jacobian", theta));
    ObjectNode bones = good.deepCopy();
    ((ObjectNode) bones.get("data").get("model")).put("bone_count", 20);
    assertEquals("input.data.model.bone_count: expected an integer of at least 21 (the fingers'"
        + " joints are bones 2 to 20), got number 20", error("ht", "objective", bones));
    ObjectNode model = good.deepCopy();
    ((ObjectNode) model.get("data")).remove("model");
    assertEquals("input.data.model: missing", error("ht", "objective", model));
  }

  /** The array at the path of fields. */
  private static ArrayNode at(JsonNode node, String... path) {
    for (String field : path) {
      node = node.get(field);
    }
    return (ArrayNode) node;
  }

  private static String errorOf(String module, String function, Object input) {
    JsonNode r = failure(new Session().evaluate(module, function,
        Session.JSON.valueToTree(input)));
    return r.get("error").asText();
  }

  @Test
  void runsUntilMinRunsAndMinSeconds() {
    ObjectNode input = put(runs(3, 0.2), "x", new double[] {1, 2, 3});
    List<JsonNode> r = new Session().evaluate("lse", "gradient", input).run();
    JsonNode timings = r.get(0).get("timings");
    long total = 0;
    for (JsonNode t : timings) {
      total += t.get("nanoseconds").asLong();
    }
    assertTrue(total >= 200_000_000L, "total " + total);
    assertTrue(timings.size() >= 3);
    long withoutLast = total - timings.get(timings.size() - 1).get("nanoseconds").asLong();
    assertTrue(withoutLast < 200_000_000L || timings.size() == 3, "stopped as soon as reached");

    List<JsonNode> few = new Session().evaluate("lse", "primal",
        put(runs(5, 0), "x", new double[] {1, 2, 3})).run();
    assertEquals(5, few.get(0).get("timings").size());
  }

  @Test
  void helloHasNoRunsFields() {
    List<JsonNode> r = new Session().evaluate("hello", "square",
        Session.JSON.valueToTree(3)).run();
    assertEquals(9.0, Check.output(r.get(0), 1).doubleValue(), 0);
    assertEquals(1, r.get(0).get("timings").size());
  }
}
