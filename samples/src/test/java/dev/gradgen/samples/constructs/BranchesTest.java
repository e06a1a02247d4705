package dev.gradgen.samples.constructs;

import static dev.gradgen.samples.constructs.Fd.args;
import static dev.gradgen.samples.constructs.Fd.check;
import static dev.gradgen.samples.constructs.Fd.close;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BranchesTest {

  @Test
  void piecewiseEveryPiece() {
    double[] xs = {-2.0, 0.5, 2.0, 4.0};
    double[] expected = {4.0, 0.75, Math.cos(2.0), 2.0};
    for (int k = 0; k < xs.length; k++) {
      var g = BranchesGrad.piecewise(xs[k]);
      assertEquals(Branches.piecewise(xs[k]), g.value(), 0.0);
      close(expected[k], g.x(), "x = " + xs[k]);
    }
  }

  @Test
  void returnBoth() {
    var a = BranchesGrad.returnBoth(3.0, 2.0);
    close(6.0, a.value());
    close(2.0, a.x());
    close(3.0, a.y());
    var b = BranchesGrad.returnBoth(1.0, 2.0);
    close(0.5, b.value());
    close(0.5, b.x());
    close(-0.25, b.y());
  }

  @Test
  void returnNoElse() {
    close(3 * 0.5 / Math.sqrt(2.25), BranchesGrad.returnNoElse(2.25).x());
    close(-6.0, BranchesGrad.returnNoElse(-3.0).x()); // t = x^2 > 4
    close(2 * -0.5 + 1, BranchesGrad.returnNoElse(-0.5).x()); // t + x
    assertEquals(0.25 - 0.5, BranchesGrad.returnNoElse(-0.5).value(), 0.0);
  }

  @Test
  void nested() {
    double[][] points = {{1.5, 2.0}, {1.5, -2.0}, {-1.5, 2.0}, {-1.5, -2.0}};
    for (double[] p : points) {
      var g = BranchesGrad.nested(p[0], p[1]);
      assertEquals(Branches.nested(p[0], p[1]), g.value(), 0.0);
      check(a -> Branches.nested((double) a[0], (double) a[1]), args(p[0], p[1]), g.x(), g.y());
    }
    // x > 0, y > 0: s = x^2 y.
    var g = BranchesGrad.nested(1.5, 2.0);
    close(2 * 1.5 * 2.0, g.x());
    close(1.5 * 1.5, g.y());
  }

  @Test
  void logic() {
    var a = BranchesGrad.logic(2.0, 3.0);
    close(3.0, a.x());
    close(2.0, a.y());
    var b = BranchesGrad.logic(-2.0, 3.0);
    close(1.0, b.x());
    close(-1.0, b.y());
  }

  @Test
  void branchLocals() {
    close(4 * 1.5 * 1.5 * 1.5, BranchesGrad.branchLocals(1.5).x());
    close(Math.exp(-1.5) + 1, BranchesGrad.branchLocals(-1.5).x());
  }
}
