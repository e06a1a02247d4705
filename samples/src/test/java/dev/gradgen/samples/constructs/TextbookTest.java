package dev.gradgen.samples.constructs;

import static dev.gradgen.samples.constructs.Fd.close;

import org.junit.jupiter.api.Test;

class TextbookTest {

  @Test
  void phi() {
    double w1 = 0.7;
    double b1 = -0.2;
    double a = 1.5;
    var g = TextbookGrad.phi(w1, b1, a);
    close((a * w1 + b1) * (a * w1 + b1), g.value());
    close(2 * a * (a * w1 + b1), g.w1());
    close(2 * (a * w1 + b1), g.b1());
  }

  @Test
  void quadratic() {
    close(-1.0, TextbookGrad.quadratic(0).x());
    close(1.0, TextbookGrad.quadratic(1).x());
    close(3.0, TextbookGrad.quadratic(2).x());
    close(3.0, TextbookGrad.quadratic(2).value());
  }

  @Test
  void jacobianOfTheComposition() {
    var r1 = TextbookGrad.h1(1, 2);
    var r2 = TextbookGrad.h2(1, 2);
    var r3 = TextbookGrad.h3(1, 2);
    close(7.0, r1.value());
    close(9.0, r2.value());
    close(Math.sin(4), r3.value());
    close(6.0, r1.x());
    close(3.0, r1.y());
    close(12.0, r2.x());
    close(6.0, r2.y());
    close(4 * Math.cos(4), r3.x());
    close(2 * Math.cos(4), r3.y());
  }
}
