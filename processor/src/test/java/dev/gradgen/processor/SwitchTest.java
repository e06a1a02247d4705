package dev.gradgen.processor;

import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, part 2: {@code switch} statements (classic groups with fall-through and
 * {@code default} anywhere, arrows, breaks and continues inside cases) and switch expressions
 * with {@code yield}, on int, String and enum selectors. Every method runs for every selector
 * value its cases name plus one they do not; the record's value must equal what javac's
 * compilation returns and the gradient must match finite differences.
 */
class SwitchTest {
  @TempDir
  Path temp;

  /** Method name to body; every method is {@code (double x, double y, int k, String s, Mode m)}. */
  static final Map<String, String> METHODS = new LinkedHashMap<>();

  static {
    METHODS.put("fallThrough", """
        double r = x;
        switch (k) {
          case 1:
            r = r * y;
          case 2:
            r = Math.sin(r);
            break;
          default:
            r = r * r;
          case 4:
            r += x;
        }
        return r;""");
    METHODS.put("groupsThatBreak", """
        double r = 0;
        switch (k) {
          case 0: case 1:
            r = x * y;
            break;
          case 2: {
            r = Math.exp(x);
            break;
          }
          case 3:
            return y * y;
          default:
            r = x - y;
        }
        return r * x;""");
    METHODS.put("breakInsideAGroup", """
        double r = x;
        switch (k) {
          case 1:
            if (r > 0.5) break;
            r = r * y;
            break;
          case 2:
            for (int i = 0; i < 3; i++) {
              r = r * x;
              if (r > 2) break;
            }
            r += y;
            break;
          default:
            r = -r;
        }
        return r + y;""");
    METHODS.put("arrows", """
        double r = y;
        switch (k) {
          case 1, 2 -> r *= x;
          case 3 -> {
            if (r > 0.2) break;
            r = Math.tanh(r * x);
          }
          default -> r = r - x;
        }
        return r;""");
    METHODS.put("continueAndBreakInALoop", """
        double r = 0;
        for (int i = 0; i < 7; i++) {
          switch ((i + k) % 4) {
            case 0: continue;
            case 1: r += x * i; break;
            case 2: r = r * y; if (r > 3) break; r += 1;
            default: r = Math.sin(r + x);
          }
          r += y;
        }
        return r;""");
    METHODS.put("continueFromArrowsInWhile", """
        double r = x;
        int i = 0;
        outer:
        while (i < 5) {
          i++;
          switch (i % 3) {
            case 0 -> { continue; }
            case 1 -> { if (r > 4) break outer; r = r * y + x; }
            default -> r += 0.5 * x;
          }
          r = Math.atan(r) + k;
        }
        return r;""");
    METHODS.put("switchExpression", """
        double r = switch (k) {
          case 1, 2 -> x * y;
          case 3 -> {
            double t = Math.exp(x);
            yield t * t;
          }
          default -> y;
        };
        return r * x;""");
    METHODS.put("classicSwitchExpressionWithYieldInANestedSwitch", """
        double r = switch (k) {
          case 1:
            yield x;
          case 2:
            switch (m) {
              case FAST:
                yield x * y;
              default:
                break;
            }
            yield y;
          default:
            double t = x + y;
            yield t * t;
        };
        return r + x;""");
    METHODS.put("switchExpressionInAnExpression", """
        double a = x;
        return a * switch (k) { case 1 -> (a = y); default -> { a += x; yield a; } } + a;""");
    METHODS.put("onString", """
        double r = x;
        switch (s) {
          case "exp":
            r = Math.exp(r);
            break;
          case "sq": case "square":
            r = r * r * y;
            break;
          default:
            r = r + y;
        }
        return r;""");
    METHODS.put("onEnum", """
        return switch (m) {
          case FAST -> x * 2;
          case SLOW -> Math.sin(x) * y;
          case EXACT -> x * y * y;
        };""");
    METHODS.put("onEnumWithDefaultFirst", """
        double r = x;
        switch (m) {
          default:
            r = r * y;
          case SLOW:
            r = r + x;
        }
        return r;""");
    METHODS.put("intResultPromoted", """
        double r = switch (s) { case "one" -> 1; case "half" -> 0.5 * x; default -> k; };
        return r * y;""");
    METHODS.put("returnFromEveryGroup", """
        switch (k) {
          case 1: return x;
          case 2: return x * y;
          default: return y;
        }""");
  }

  @Test
  void valuesAreJavasAndGradientsMatchFiniteDifferences() throws Exception {
    List<String> src = new ArrayList<>(List.of("package p;", "",
        "import dev.gradgen.Differentiable;", "",
        "@SuppressWarnings(\"fallthrough\") // the user's own switches fall through on purpose",
        "public class C {", "  enum Mode { FAST, SLOW, EXACT }"));
    src.addAll(TestSupport.methods("double x, double y, int k, String s, Mode m", METHODS));
    src.add("}");
    try (URLClassLoader cl = TestSupport.compileAndLoad(temp, "p.C", src)) {
      Class<?> owner = cl.loadClass("p.C");
      Class<?> grad = cl.loadClass("p.CGrad");
      Object[] modes = cl.loadClass("p.C$Mode").getEnumConstants();
      String[] strings = {"exp", "sq", "square", "one", "half", "other"};
      double[][] points = {{0.7, 0.9}, {-0.4, 1.3}, {1.2, -0.6}};
      for (String method : METHODS.keySet()) {
        for (int k = 0; k <= 5; k++) {
          for (int v = 0; v < strings.length; v++) {
            double[] at = points[(k + v) % points.length];
            Object[] args = {at[0], at[1], k, strings[v], modes[(k + v) % modes.length]};
            TestSupport.checkGradient(owner, grad, method, args, 0, 1);
          }
        }
      }
    }
  }
}
