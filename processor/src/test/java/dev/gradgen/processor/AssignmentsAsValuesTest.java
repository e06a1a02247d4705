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
 * Issue 11, part 1: assignments and {@code ++}/{@code --} used as values, in every position the
 * reader accepts them. Each method is checked through the generated record: its value must equal
 * what javac's own compilation of the method returns (so Java's order of evaluation, the postfix
 * value and single evaluation of each operand hold), and its gradient must match finite
 * differences.
 */
class AssignmentsAsValuesTest {
  @TempDir
  Path temp;

  /** Method name to body; every method is {@code (double x, double y, double[] v)}. */
  static final Map<String, String> METHODS = new LinkedHashMap<>();

  static {
    METHODS.put("chained", "double a, b; a = b = x * y; return a + 2 * b;");
    METHODS.put("postfixIndex", "double s = 0; int i = 0; while (i < v.length) s += v[i++] * x;"
        + " return s;");
    METHODS.put("whileDecrement", "int n = 4; double s = x; while (n-- > 0) s = s * y + n;"
        + " return s;");
    METHODS.put("doPrefix", "int k = 3; double s = x; do { s = Math.sin(s) * y; }"
        + " while (--k != 0); return s;");
    METHODS.put("doPrefixWithContinue", "int k = 4; double s = x; do { if (k == 2) { s += x;"
        + " continue; } s *= y; } while (--k > 0); return s;");
    METHODS.put("doPrefixEndingInIf", "int k = 3; double s = x; do { if (s > 100) break; s = s"
        + " * y + v[k]; } while (k-- > 1); return s;");
    METHODS.put("assignedInCondition", "double z; if ((z = Math.exp(x)) > 1) return z * y;"
        + " return z - y;");
    METHODS.put("prefixElement", "double[] t = {x, y}; double a = ++t[0]; return a * t[0] + t[1];");
    METHODS.put("prefixIntoParameter", "double[] t = {x * v[0], y}; x = ++t[0]; return x * t[0]"
        + " + t[1];");
    METHODS.put("leftOperandKept", "double a = x; double r = a * (a = y) + a; return r * x;");
    METHODS.put("compoundKept", "double s = x; s += (s = y) * 2; return s * x;");
    METHODS.put("compoundKeptInt", "int k = 2; k += (k = 3) * 2; return k * x + y;");
    METHODS.put("elementTargetKept", "double[] w = new double[3]; int i = 0; w[i] = i++ + x;"
        + " w[i] = (i = 2) * y; return w[0] * x + w[1] + w[2];");
    METHODS.put("andAssigns", "double t = 0; if (x > 0 && (t = x * y) > 0.5) t += 1;"
        + " return t + x;");
    METHODS.put("orAssigns", "boolean b = x < 0 || (y = y * 2) > 0; return b ? y * x : x;");
    METHODS.put("conditionalAssigns", "int n = 0; double r = x > 0 ? x * (n = 3) : y * (n = 5);"
        + " return r * n + y;");
    METHODS.put("updateAssigns", "double s = 1; for (int i = 0; i < 5; s += x * i++) {"
        + " s = s * y; } return s;");
    METHODS.put("updateWithCondition", "double u = y; boolean big = false;"
        + " for (int i = 0; i < 6; i++, big = i > 2 && (u = u * x) > 0) { u = u + (big ? 1 : 0);"
        + " } return u;");
    METHODS.put("updateWithConditionAndContinue", "double u = y; boolean big = false;"
        + " for (int i = 0; i < 6; i++, big = i > 2 && (u = u * x) > 0) { if (i == 1) continue;"
        + " u = u + (big ? v[1] : v[2]); } return u;");
    METHODS.put("conditionPostfix", "double s = x; for (int i = 0; i++ < 4;) s += s * y * i;"
        + " return s;");
    METHODS.put("argumentsInOrder", "int i = 0; return Math.atan2(v[i++], v[i++]) * x"
        + " + Math.hypot(v[i++] * y, v[i++]);");
    METHODS.put("callArgumentsInOrder", "int i = 1; return C.weigh(v[i++], v[i--], v[i]) * x;");
    METHODS.put("initializerAssigns", "double s = 0; for (int i = 0, j = i++; i < 4; i++)"
        + " s += x * (i + j) + y; return s;");
    METHODS.put("returnedAssignment", "double r; return (r = x * y) + r * v[0];");
    METHODS.put("compoundIntValue", "int k = 3; double r = (k += 2) * x; return r + k * y;");
    METHODS.put("targetsStepping", "double[] w = new double[4]; int i = 0; w[i++] = x;"
        + " w[i++] = y; w[i++] += x * y; w[i] = w[--i] * v[i]; return w[0] * w[1] + w[2] + w[3];");
    METHODS.put("matrixTargetKept", "double[][] m = new double[2][2]; int i = 0;"
        + " m[i][i] = (i = 1) + x; m[i][0] = i++ * y; return m[0][0] + m[1][1] * y + m[1][0];");
    METHODS.put("postfixDouble", "double a = x; double b = a++ * y; return a * b + a--;");
    METHODS.put("assignmentInIndex", "int i; double s = v[i = 2] * x; return s + v[i + 1] * y;");
    METHODS.put("rowKept", "double[][] m = {{x, y}, {y * y, x}}; int i = 0;"
        + " return m[i][0] * m[i = 1][1] + m[i][0];");
    METHODS.put("kernelKept", "double[] w = {x, y}; return dev.gradgen.Ops.dot(w, w)"
        + " + (w[0] = 3 * y) + dev.gradgen.Ops.sum(w);");
    // Calls that need a statement of their own (a kernel keeps its result for its backward)
    // get one where Java evaluates them: in a loop condition, a branch, the right of &&.
    METHODS.put("kernelInLoopCondition", "double s = 0; int n = 0;"
        + " while (s < dev.gradgen.Ops.sum(v) * 3 + x && n < 20) { s += x * x + 0.5; n++; }"
        + " return s * v[0];");
    METHODS.put("kernelInBranches", "return (x > 0 ? dev.gradgen.Ops.sum(v) * y : x * v[1])"
        + " + (y > 0 && dev.gradgen.Ops.dot(v, v) > 1 ? x : y);");
    METHODS.put("whileOnParameter", "int n = 3; double s = y; while ((s = s * x) < 100"
        + " && n-- > 0) { s += v[n]; } return s;");
  }

  @Test
  void valuesAreJavasAndGradientsMatchFiniteDifferences() throws Exception {
    List<String> src = new ArrayList<>(List.of("package p;", "",
        "import dev.gradgen.Differentiable;", "", "public class C {",
        "  @Differentiable", "  static double weigh(double a, double b, double c) {",
        "    return a + 2 * b + 3 * c * a;", "  }"));
    src.addAll(TestSupport.methods("double x, double y, double[] v", METHODS));
    src.add("}");
    try (URLClassLoader cl = TestSupport.compileAndLoad(temp, "p.C", src)) {
      Class<?> owner = cl.loadClass("p.C");
      Class<?> grad = cl.loadClass("p.CGrad");
      double[][] points = {{0.7, 0.9}, {-0.4, 1.3}, {1.2, -0.6}};
      for (String m : METHODS.keySet()) {
        for (double[] at : points) {
          double[] v = {0.3 + at[0], -0.8, 1.1 * at[1], 0.45};
          TestSupport.checkGradient(owner, grad, m, new Object[] {at[0], at[1], v}, 0, 1, 2);
        }
      }
    }
  }
}
