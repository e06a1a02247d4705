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
 * Issue 11, part 8: the rest of {@code Math}/{@code StrictMath} with a derivative almost
 * everywhere ({@code fma copySign IEEEremainder scalb nextUp nextDown nextAfter}, and {@code ulp}
 * and {@code getExponent} with derivative 0), and the integer functions, checked against finite
 * differences away from their kinks.
 */
class MoreMathTest {
  @TempDir
  Path temp;

  static final Map<String, String> METHODS = new LinkedHashMap<>();

  static {
    METHODS.put("fma", "return Math.fma(x, y, x * x) + StrictMath.fma(y, 2.0, x);");
    METHODS.put("copySign", "return Math.copySign(x * y, y - 0.1) + Math.copySign(y, -1.0);");
    METHODS.put("remainder", "return Math.IEEEremainder(5 * x, y + 2) * y;");
    METHODS.put("scalb", "return Math.scalb(x, 3) + StrictMath.scalb(x * y, -2);");
    METHODS.put("neighbours", "return Math.nextUp(x) * Math.nextDown(y) + Math.nextAfter(x, y);");
    METHODS.put("flatOnes", "return x * Math.ulp(1.0) * 1e15 + Math.getExponent(y) + y;");
    METHODS.put("integers", "int k = Math.floorMod(-7, 3) + Math.floorDiv(7, -2)"
        + " + Math.addExact(1, 2) + Math.toIntExact(Math.multiplyFull(2, 3))"
        + " + Math.absExact(-4) + Math.negateExact(1) + Math.incrementExact(0);"
        + " return k * x + y;");
  }

  @Test
  void gradientsMatchFiniteDifferences() throws Exception {
    List<String> src = new ArrayList<>(List.of("package p;", "",
        "import dev.gradgen.Differentiable;", "", "public class M {"));
    src.addAll(TestSupport.methods("double x, double y", METHODS));
    src.add("}");
    try (URLClassLoader cl = TestSupport.compileAndLoad(temp, "p.M", src)) {
      Class<?> owner = cl.loadClass("p.M");
      Class<?> grad = cl.loadClass("p.MGrad");
      for (String m : METHODS.keySet()) {
        for (double[] at : new double[][] {{0.7, 0.9}, {-0.45, 1.3}, {1.2, -0.6}}) {
          TestSupport.checkGradient(owner, grad, m, new Object[] {at[0], at[1]}, 0, 1);
        }
      }
    }
  }
}
