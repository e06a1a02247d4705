package dev.gradgen.benchmarks;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Derivatives beyond the gradient, as ratios to the primal (run.sh prints them):
 *
 * <ul>
 *   <li>{@link Jacobians}: the Jacobian of {@link Derivatives#map} (buffer form) for m ≪ n,
 *       m ≈ n and m ≫ n, against the target of 3 min(m, n) + 2 primal costs; its JVP
 *       and VJP.
 *   <li>{@link Second}: the gradient, JVP and HVP of two scalar loops of n = 1000 against their
 *       primal (target: HVP ≤ 6), and the Hessian of n = 50, n HVPs.
 * </ul>
 */
public class DerivativesBenchmark {
  private DerivativesBenchmark() {}

  /** Jacobians of a map with m outputs and n inputs. */
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @State(Scope.Thread)
  public static class Jacobians {
    @Param({"4x256", "64x64", "256x4"})
    public String shape;

    int m;
    double[] x;
    double[] u;
    double[] v;
    DerivativesGrad.MapJacobianBuffer buffer;

    @Setup
    public void setUp() {
      String[] mn = shape.split("x");
      m = Integer.parseInt(mn[0]);
      int n = Integer.parseInt(mn[1]);
      Random r = new Random(m * 31L + n);
      x = new double[n];
      u = new double[n];
      v = new double[m];
      for (int j = 0; j < n; j++) {
        x[j] = r.nextGaussian();
        u[j] = r.nextGaussian();
      }
      for (int i = 0; i < m; i++) {
        v[i] = r.nextGaussian();
      }
      buffer = new DerivativesGrad.MapJacobianBuffer(m, x);
    }

    @Benchmark
    public double[] mapPrimal() {
      return Derivatives.map(x, m);
    }

    @Benchmark
    public double[] mapJacobian() {
      return DerivativesGrad.map(x, m, buffer);
    }

    @Benchmark
    public Object mapJvp() {
      return DerivativesGrad.mapJvp(x, m, u);
    }

    @Benchmark
    public Object mapVjp() {
      return DerivativesGrad.mapVjp(x, m, v);
    }
  }

  /** Second order of scalar loops. */
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @State(Scope.Thread)
  public static class Second {
    double[] x;
    double[] u;
    double[] small;
    DerivativesGrad.RosenbrockGradientBuffer rosenbrockBuffer;
    DerivativesGrad.CoupledGradientBuffer coupledBuffer;

    @Setup
    public void setUp() {
      Random r = new Random(5);
      x = new double[1000];
      u = new double[1000];
      for (int j = 0; j < x.length; j++) {
        x[j] = 0.5 * r.nextGaussian();
        u[j] = r.nextGaussian();
      }
      small = java.util.Arrays.copyOf(x, 50);
      rosenbrockBuffer = new DerivativesGrad.RosenbrockGradientBuffer(x);
      coupledBuffer = new DerivativesGrad.CoupledGradientBuffer(x);
    }

    @Benchmark
    public double rosenbrockPrimal() {
      return Derivatives.rosenbrock(x);
    }

    @Benchmark
    public double rosenbrockGradient() {
      return DerivativesGrad.rosenbrock(x, rosenbrockBuffer);
    }

    @Benchmark
    public Object rosenbrockJvp() {
      return DerivativesGrad.rosenbrockJvp(x, u);
    }

    @Benchmark
    public Object rosenbrockHvp() {
      return DerivativesGrad.rosenbrockHvp(x, u);
    }

    @Benchmark
    public double coupledPrimal() {
      return Derivatives.coupled(x);
    }

    @Benchmark
    public double coupledGradient() {
      return DerivativesGrad.coupled(x, coupledBuffer);
    }

    @Benchmark
    public Object coupledJvp() {
      return DerivativesGrad.coupledJvp(x, u);
    }

    @Benchmark
    public Object coupledHvp() {
      return DerivativesGrad.coupledHvp(x, u);
    }

    @Benchmark
    public double coupledPrimal50() {
      return Derivatives.coupled(small);
    }

    @Benchmark
    public Object coupledHessian50() {
      return DerivativesGrad.coupledHessian(small);
    }
  }
}
