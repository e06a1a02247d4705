package dev.gradgen.processor.fuzz;

/**
 * Forward-mode dual numbers with a vector of tangents: the oracle of the differential fuzz test.
 * The generated "dual" twin of every fuzz method computes with {@code D} instead of
 * {@code double}; seeding the inputs with unit tangents gives the whole gradient in one forward
 * pass, independently of gradgen's reverse-mode code.
 *
 * <p>Primal values are computed with exactly the same floating-point operations as the double
 * code, so branch decisions agree. Kink conventions follow gradgen's documented ones
 * ({@code abs'(0) = 0}, {@code max(a, b)} picks {@code a} when {@code a >= b}, {@code min} when
 * {@code a <= b}, derivative-free {@code signum floor ceil rint round}, {@code pow} partials 0 at
 * exponent 0 / base 0). Every comparison and every piecewise function records its distance to the
 * kink in {@link #margin}, so the harness can resample inputs that sit too close to one.
 *
 * <p>Not thread-safe: the tangent dimension and the margin are static (one fuzz run at a time).
 */
public final class D {
  /** Number of tangent directions of the current evaluation. */
  static int dims;
  /** Smallest distance to a kink / branch decision seen since the last {@link #reset}. */
  static double margin = Double.POSITIVE_INFINITY;

  final double v;
  /** Tangents; null means all zero. */
  final double[] t;

  private D(double v, double[] t) {
    this.v = v;
    this.t = t;
  }

  static void reset(int dimensions) {
    dims = dimensions;
    margin = Double.POSITIVE_INFINITY;
  }

  /** A variable with unit tangent in direction {@code dir}. */
  static D seed(double v, int dir) {
    double[] t = new double[dims];
    t[dir] = 1;
    return new D(v, t);
  }

  public double value() {
    return v;
  }

  public double tangent(int i) {
    return t == null ? 0.0 : t[i];
  }

  private static void near(double distance) {
    double d = Math.abs(distance);
    if (d < margin) {
      margin = d;
    }
  }

  /** v with tangent da * a.t. */
  private static D lin(double v, D a, double da) {
    if (a.t == null || da == 0) {
      return new D(v, null);
    }
    double[] t = new double[dims];
    for (int i = 0; i < dims; i++) {
      t[i] = da * a.t[i];
    }
    return new D(v, t);
  }

  /** v with tangent da * a.t + db * b.t. */
  private static D lin(double v, D a, double da, D b, double db) {
    if (a.t == null || da == 0) {
      return lin(v, b, db);
    }
    if (b.t == null || db == 0) {
      return lin(v, a, da);
    }
    double[] t = new double[dims];
    for (int i = 0; i < dims; i++) {
      t[i] = da * a.t[i] + db * b.t[i];
    }
    return new D(v, t);
  }

  // ------------------------------------------------------------------ constants, arrays

  /** {@code a}, after evaluating {@code b} (the value of a postfix {@code ++}/{@code --}). */
  public static D first(D a, D b) {
    return a;
  }

  public static D c(double v) {
    return new D(v, null);
  }

  public static D[] zeros(int n) {
    D[] a = new D[n];
    D z = c(0.0);
    for (int i = 0; i < n; i++) {
      a[i] = z;
    }
    return a;
  }

  public static D[][] zeros(int r, int c) {
    D[][] m = new D[r][];
    for (int i = 0; i < r; i++) {
      m[i] = zeros(c);
    }
    return m;
  }

  public static D[][][] zeros(int p, int r, int c) {
    D[][][] t = new D[p][][];
    for (int i = 0; i < p; i++) {
      t[i] = zeros(r, c);
    }
    return t;
  }

  // ------------------------------------------------------------------ arithmetic

  public static D add(D a, D b) {
    return lin(a.v + b.v, a, 1, b, 1);
  }

  public static D sub(D a, D b) {
    return lin(a.v - b.v, a, 1, b, -1);
  }

  public static D mul(D a, D b) {
    return lin(a.v * b.v, a, b.v, b, a.v);
  }

  public static D div(D a, D b) {
    double y = a.v / b.v;
    return lin(y, a, 1 / b.v, b, -y / b.v);
  }

  public static D neg(D a) {
    return lin(-a.v, a, -1);
  }

  // ------------------------------------------------------------------ comparisons

  public static boolean lt(D a, D b) {
    near(a.v - b.v);
    return a.v < b.v;
  }

  public static boolean le(D a, D b) {
    near(a.v - b.v);
    return a.v <= b.v;
  }

  public static boolean gt(D a, D b) {
    near(a.v - b.v);
    return a.v > b.v;
  }

  public static boolean ge(D a, D b) {
    near(a.v - b.v);
    return a.v >= b.v;
  }

  public static boolean eq(D a, D b) {
    near(a.v - b.v);
    return a.v == b.v;
  }

  public static boolean ne(D a, D b) {
    near(a.v - b.v);
    return a.v != b.v;
  }

  // ------------------------------------------------------------------ conversions

  public static int toInt(D a) {
    near(a.v - Math.rint(a.v));
    return (int) a.v;
  }

  public static long toLong(D a) {
    near(a.v - Math.rint(a.v));
    return (long) a.v;
  }

  // ------------------------------------------------------------------ Math

  public static D exp(D a) {
    double y = Math.exp(a.v);
    return lin(y, a, y);
  }

  public static D expm1(D a) {
    return lin(Math.expm1(a.v), a, Math.exp(a.v));
  }

  public static D log(D a) {
    return lin(Math.log(a.v), a, 1 / a.v);
  }

  public static D log1p(D a) {
    return lin(Math.log1p(a.v), a, 1 / (1 + a.v));
  }

  public static D log10(D a) {
    return lin(Math.log10(a.v), a, 1 / (a.v * Math.log(10)));
  }

  public static D sqrt(D a) {
    double y = Math.sqrt(a.v);
    near(a.v);
    return lin(y, a, 0.5 / y);
  }

  public static D cbrt(D a) {
    double y = Math.cbrt(a.v);
    near(a.v);
    return lin(y, a, 1 / (3 * y * y));
  }

  public static D pow(D a, D b) {
    double y = Math.pow(a.v, b.v);
    double da = b.v == 0 ? 0 : b.v * Math.pow(a.v, b.v - 1);
    double db = a.v == 0 ? 0 : y * Math.log(a.v);
    return lin(y, a, da, b, db);
  }

  public static D sin(D a) {
    return lin(Math.sin(a.v), a, Math.cos(a.v));
  }

  public static D cos(D a) {
    return lin(Math.cos(a.v), a, -Math.sin(a.v));
  }

  public static D tan(D a) {
    double y = Math.tan(a.v);
    return lin(y, a, 1 + y * y);
  }

  public static D asin(D a) {
    near(1 - Math.abs(a.v));
    return lin(Math.asin(a.v), a, 1 / Math.sqrt(1 - a.v * a.v));
  }

  public static D acos(D a) {
    near(1 - Math.abs(a.v));
    return lin(Math.acos(a.v), a, -1 / Math.sqrt(1 - a.v * a.v));
  }

  public static D atan(D a) {
    return lin(Math.atan(a.v), a, 1 / (1 + a.v * a.v));
  }

  public static D atan2(D a, D b) {
    double r2 = a.v * a.v + b.v * b.v;
    near(Math.sqrt(r2));
    return lin(Math.atan2(a.v, b.v), a, b.v / r2, b, -a.v / r2);
  }

  public static D sinh(D a) {
    return lin(Math.sinh(a.v), a, Math.cosh(a.v));
  }

  public static D cosh(D a) {
    return lin(Math.cosh(a.v), a, Math.sinh(a.v));
  }

  public static D tanh(D a) {
    double y = Math.tanh(a.v);
    return lin(y, a, 1 - y * y);
  }

  public static D hypot(D a, D b) {
    double y = Math.hypot(a.v, b.v);
    near(y);
    return lin(y, a, a.v / y, b, b.v / y);
  }

  public static D abs(D a) {
    near(a.v);
    return lin(Math.abs(a.v), a, Math.signum(a.v));
  }

  public static D max(D a, D b) {
    near(a.v - b.v);
    return a.v >= b.v ? lin(Math.max(a.v, b.v), a, 1) : lin(Math.max(a.v, b.v), b, 1);
  }

  public static D min(D a, D b) {
    near(a.v - b.v);
    return a.v <= b.v ? lin(Math.min(a.v, b.v), a, 1) : lin(Math.min(a.v, b.v), b, 1);
  }

  public static D toRadians(D a) {
    return lin(Math.toRadians(a.v), a, Math.PI / 180);
  }

  public static D toDegrees(D a) {
    return lin(Math.toDegrees(a.v), a, 180 / Math.PI);
  }

  public static D fma(D a, D b, D c) {
    double v = Math.fma(a.v, b.v, c.v);
    return lin(v, lin(v, a, b.v, b, a.v), 1, c, 1);
  }

  public static D copySign(D m, D s) {
    near(m.v);
    near(s.v);
    return lin(Math.copySign(m.v, s.v), m, Math.signum(m.v) * Math.copySign(1.0, s.v));
  }

  public static D IEEEremainder(D x, D y) {
    double r = Math.IEEEremainder(x.v, y.v);
    near(Math.abs(r) - Math.abs(y.v) / 2); // where the nearest integer quotient jumps
    return lin(r, x, 1, y, -Math.rint((x.v - r) / y.v));
  }

  public static D scalb(D d, int n) {
    return lin(Math.scalb(d.v, n), d, Math.scalb(1.0, n));
  }

  public static D nextUp(D a) {
    return lin(Math.nextUp(a.v), a, 1);
  }

  public static D nextDown(D a) {
    return lin(Math.nextDown(a.v), a, 1);
  }

  public static D nextAfter(D a, D b) {
    near(a.v - b.v);
    return lin(Math.nextAfter(a.v, b.v), a, 1);
  }

  public static D ulp(D a) {
    return c(Math.ulp(a.v));
  }

  public static int getExponent(D a) {
    return Math.getExponent(a.v);
  }

  public static D signum(D a) {
    near(a.v);
    return c(Math.signum(a.v));
  }

  public static D floor(D a) {
    near(a.v - Math.rint(a.v));
    return c(Math.floor(a.v));
  }

  public static D ceil(D a) {
    near(a.v - Math.rint(a.v));
    return c(Math.ceil(a.v));
  }

  public static D rint(D a) {
    near(a.v - Math.floor(a.v) - 0.5);
    return c(Math.rint(a.v));
  }

  public static long round(D a) {
    near(a.v - Math.floor(a.v) - 0.5);
    return Math.round(a.v);
  }
}
