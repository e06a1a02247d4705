package dev.gradgen.processor.fuzz;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Seeded random generator of {@code @Differentiable} methods over gradgen's supported subset.
 * Every piece of a program is produced twice at once: as plain Java over {@code double} (what
 * gradgen differentiates) and as Java over {@link D} dual numbers (the forward-mode oracle). The
 * two texts have the same structure statement by statement, so they compute the same primal
 * values with the same branch decisions.
 *
 * <p>Invariants kept by construction, so that every program runs without exceptions and without
 * overflow: array indices are {@code (non-negative int expression) % a.length} with non-empty
 * arrays; integer locals stay small and non-negative; loops have small constant or length bounds
 * (while/do loops count their trips); values assigned inside loops are squashed ({@code tanh},
 * {@code x / (1 + |x|)}, ...) or grow by bounded steps; Math functions get arguments inside their
 * domains ({@code log(1 + x*x)}, {@code asin(0.9 * tanh(x))}, ...). Parameter arrays are only read.
 */
final class ProgramGenerator {
  /** Types of the subset; {@code java} and {@code dual} are the spellings in the two texts. */
  enum T {
    DBL("double", "D"), INT("int", "int"), LONG("long", "long"), BOOL("boolean", "boolean"),
    ARR("double[]", "D[]"), MAT("double[][]", "D[][]"), TEN("double[][][]", "D[][][]"),
    INTS("int[]", "int[]"),
    /** Constant objects: an enum of the batch's Support class, and String. */
    MODE("Support.Mode", "Support.Mode"), STR("String", "String"),
    /** Constant numbers: a char ('a' to 'c') and a float. */
    CHR("char", "char"), FLT("float", "float");

    final String java;
    final String dual;

    T(String java, String dual) {
      this.java = java;
      this.dual = dual;
    }
  }

  /** An expression in both spellings. */
  record E(String j, String d, T t) {}

  /** A variable in scope. */
  static final class Var {
    final String name;
    final T t;
    /** May be assigned (scalars) or written through (arrays). */
    boolean writable;
    /** Carries no derivative (a @NoGrad parameter): may be passed to a @NoGrad parameter. */
    final boolean constant;
    /** A matrix whose row count is unknown (parameter) vs a local: both are rectangular. */
    Var(String name, T t, boolean writable, boolean constant) {
      this.name = name;
      this.t = t;
      this.writable = writable;
      this.constant = constant;
    }
  }

  record Param(String name, T t, boolean noGrad) {
    /** Whether the gradient has a component for this parameter. */
    boolean differentiable() {
      return !noGrad && (t == T.DBL || t == T.ARR || t == T.MAT || t == T.TEN);
    }
  }

  /** One generated method: its two texts, signature, callees and statistics. */
  static final class Method {
    String name;
    final List<Param> params = new ArrayList<>();
    String java;
    String dual;
    final Set<Integer> callees = new LinkedHashSet<>();
    int callDepth;
    int statements;
    final Map<String, Integer> constructs = new TreeMap<>();
    /** An instance method of the batch class (its object is the class's SELF). */
    boolean instance;
    /** May write into a double[] / double[][] parameter: no other method calls it. */
    boolean writesArrays;
  }

  /** Loop on the stack of enclosing loops. */
  private record Loop(String label) {}

  /** An assignment, compound assignment, ++ or -- in Java text. */
  private static final java.util.regex.Pattern SIDE_EFFECT =
      java.util.regex.Pattern.compile("\\+\\+|--|(?<![=!<>])=(?!=)");
  private static final String[] SQUASH = {"tanh", "sin", "atan", "ratio", "cos"};
  static final String[] CONSTANTS = {"K0", "K1", "K2"};
  static final double[] CONSTANT_VALUES = {0.75, -1.25, 0.3};
  /** Instance fields of each generated class, which its instance methods read. */
  static final String FIELD = "F0";
  static final double FIELD_VALUE = 0.35;
  static final String FIELD_ARRAY = "FA";
  /** A private constant of each generated class, which gradgen inlines. */
  static final String PRIVATE_CONSTANT = "P0";
  static final double PRIVATE_CONSTANT_VALUE = 0.6;

  private final Random r;
  private final List<Method> methods = new ArrayList<>();

  // per-method state
  private Method m;
  private Deque<List<Var>> scopes;
  private List<Loop> loops;
  private StringBuilder js;
  private StringBuilder ds;
  private int indent;
  private int names;
  private int budget;
  private int ifDepth;
  /**
   * Nesting of ?: being generated. javac types a conditional inside a method argument twice per
   * enclosing one (exponential in the nesting), so deeper nests only slow the test down.
   */
  private int conditionals;
  /** This method's shape: ordinary, deeply nested, or long and straight-line. */
  private enum Shape { ORDINARY, DEEP, STRAIGHT }
  private Shape shape;
  /** Loops may nest this deep. */
  private int maxLoops;
  /** Bodies enclosing the statement being generated. */
  private int nesting;
  /**
   * Above 0 while generating text the dual twin repeats (an element target of {@code +=}, whose
   * dual reads {@code a[i] = D.add(a[i], e)}): no assignments inside expressions there.
   */
  private int pure;

  ProgramGenerator(long seed) {
    this.r = new Random(seed);
  }

  List<Method> methods() {
    return methods;
  }

  // ------------------------------------------------------------------ methods

  Method nextMethod() {
    m = new Method();
    m.name = "f" + methods.size();
    scopes = new ArrayDeque<>();
    scopes.push(new ArrayList<>());
    loops = new ArrayList<>();
    js = new StringBuilder();
    ds = new StringBuilder();
    indent = 2;
    names = 0;
    ifDepth = 0;
    nesting = 0;
    int roll = r.nextInt(100);
    shape = roll < 2 ? Shape.STRAIGHT : roll < 10 ? Shape.DEEP : Shape.ORDINARY;
    budget = switch (shape) {
      case STRAIGHT -> 300;
      case DEEP -> 20 + r.nextInt(20);
      default -> 6 + r.nextInt(22);
    };
    maxLoops = shape == Shape.DEEP ? 3 : 2;
    if (shape != Shape.ORDINARY) {
      count("shape-" + shape.name().toLowerCase());
    }

    // Parameters.
    List<Param> ps = new ArrayList<>();
    int nd = 1 + r.nextInt(3);
    for (int i = 0; i < nd; i++) {
      ps.add(new Param("x" + i, T.DBL, false));
    }
    int na = r.nextInt(3);
    for (int i = 0; i < na; i++) {
      ps.add(new Param("a" + i, T.ARR, false));
    }
    if (r.nextInt(10) < 3) {
      ps.add(new Param("m0", T.MAT, false));
    }
    if (r.nextInt(10) < 3) {
      ps.add(new Param("c0", T.DBL, true));
    }
    if (r.nextInt(10) < 2) {
      ps.add(new Param("b0", T.ARR, true));
    }
    if (r.nextInt(10) < 4) {
      ps.add(new Param("n0", T.INT, false));
    }
    if (r.nextInt(10) < 2) {
      ps.add(new Param("k0", T.MAT, true));
    }
    if (r.nextInt(100) < 12) {
      ps.add(new Param("t0", T.TEN, false));
    }
    if (r.nextInt(100) < 5) {
      ps.add(new Param("kt0", T.TEN, true));
    }
    if (r.nextInt(10) < 3) {
      ps.add(new Param("q0", T.LONG, false));
    }
    if (r.nextInt(10) < 3) {
      ps.add(new Param("p0", T.BOOL, false));
    }
    if (r.nextInt(10) < 2) {
      ps.add(new Param("ix0", T.INTS, false));
    }
    if (r.nextInt(10) < 2) {
      ps.add(new Param("mode0", T.MODE, false));
    }
    if (r.nextInt(10) < 2) {
      ps.add(new Param("s0", T.STR, false));
    }
    if (r.nextInt(10) < 1) {
      ps.add(new Param("ch0", T.CHR, false));
    }
    if (r.nextInt(10) < 1) {
      ps.add(new Param("f0", T.FLT, false));
    }
    // A recursive method: d0 (0..4 from the harness) bounds its depth.
    recursive = shape == Shape.ORDINARY && r.nextInt(100) < 8;
    selfCalls = 0;
    if (recursive) {
      ps.add(new Param("d0", T.INT, false));
    }
    // Shuffle, keeping at least one differentiable parameter (x0 always is).
    for (int i = ps.size() - 1; i > 0; i--) {
      int k = r.nextInt(i + 1);
      Param t = ps.get(i);
      ps.set(i, ps.get(k));
      ps.set(k, t);
    }
    m.params.addAll(ps);
    for (Param p : ps) {
      // Scalar parameters of every kind may be written (a written @NoGrad double is no longer a
      // constant to pass on to @NoGrad parameters); arrays and objects are never written. An
      // int parameter that is written is no loop bound.
      boolean scalar = p.t() == T.DBL || p.t() == T.INT || p.t() == T.LONG || p.t() == T.BOOL;
      boolean writable = scalar && !p.name().equals("d0")
          && r.nextInt(10) < (p.t() == T.DBL && !p.noGrad() ? 5 : 4)
          || p.t() == T.INTS && r.nextBoolean() // int[] parameters may be written into
          || (p.t() == T.ARR || p.t() == T.MAT || p.t() == T.TEN)
              && r.nextInt(100) < 8; // and double arrays
      if (writable && (p.t() == T.ARR || p.t() == T.MAT || p.t() == T.TEN)) {
        // Calling it would be an error (a call's effect on an array is not differentiated).
        m.writesArrays = true;
        count("array-parameter-written");
      }
      declare(new Var(p.name(), p.t(), writable, p.noGrad() && !writable));
    }

    StringBuilder sigJ = new StringBuilder();
    StringBuilder sigD = new StringBuilder();
    for (Param p : ps) {
      if (sigJ.length() > 0) {
        sigJ.append(", ");
        sigD.append(", ");
      }
      sigJ.append(p.noGrad() ? "@NoGrad " : "").append(p.t().java).append(' ').append(p.name());
      sigD.append(p.t().dual).append(' ').append(p.name());
    }
    m.instance = shape == Shape.ORDINARY && r.nextInt(100) < 12;
    String modifier = m.instance ? "final " : "static ";
    if (m.instance) {
      count("instance-method");
    }
    js.append("  @Differentiable\n  ").append(modifier).append("double ").append(m.name)
        .append('(').append(sigJ).append(") {\n");
    ds.append("  ").append(modifier).append("D ").append(m.name).append('(').append(sigD)
        .append(") {\n");
    indent = 4;

    if (recursive) {
      recursive = false; // the base case does not recurse
      E base = dval(1);
      recursive = true;
      emit("if (d0 <= 0) {", "if (d0 <= 0) {");
      emit("  return " + base.j() + ";", "  return " + base.d() + ";");
      emit("}", "}");
      count("recursive");
    }
    prologue();
    block(shape == Shape.DEEP ? 5 : 3);
    E ret = dval(2);
    emit("return " + ret.j() + ";", "return " + ret.d() + ";");
    count("return");

    js.append("  }\n");
    ds.append("  }\n");
    m.java = js.toString();
    m.dual = ds.toString();
    methods.add(m);
    return m;
  }

  /** Locals declared at the top: scalars, an int, arrays, sometimes a matrix. */
  private void prologue() {
    int n = 1 + r.nextInt(3);
    for (int i = 0; i < n; i++) {
      declareDouble(false);
    }
    if (r.nextBoolean()) {
      declareLocalArray();
    }
    if (r.nextInt(3) == 0) {
      declareLocalMatrix();
    }
    if (r.nextInt(12) == 0) {
      declareLocalTensor();
    }
    if (r.nextInt(3) == 0) {
      declareInt();
    }
  }

  // ------------------------------------------------------------------ output

  private void emit(String j, String d) {
    line(js, j);
    line(ds, d);
  }

  private void line(StringBuilder b, String text) {
    for (int i = 0; i < indent; i++) {
      b.append(' ');
    }
    b.append(text).append('\n');
  }

  private void count(String construct) {
    m.constructs.merge(construct, 1, Integer::sum);
  }

  private void stmt() {
    m.statements++;
    budget--;
  }

  // ------------------------------------------------------------------ scopes

  private void declare(Var v) {
    scopes.peek().add(v);
  }

  private List<Var> visible(T t) {
    List<Var> out = new ArrayList<>();
    for (List<Var> s : scopes) {
      for (Var v : s) {
        if (v.t == t) {
          out.add(v);
        }
      }
    }
    return out;
  }

  private List<Var> visibleWritable(T t) {
    List<Var> out = new ArrayList<>();
    for (Var v : visible(t)) {
      if (v.writable) {
        out.add(v);
      }
    }
    return out;
  }

  private boolean inScope(String name) {
    for (List<Var> s : scopes) {
      for (Var v : s) {
        if (v.name.equals(name)) {
          return true;
        }
      }
    }
    return false;
  }

  private String fresh(String prefix) {
    return prefix + (names++);
  }

  private <X> X pick(List<X> xs) {
    return xs.get(r.nextInt(xs.size()));
  }

  private boolean chance(int percent) {
    return r.nextInt(100) < percent;
  }

  // ------------------------------------------------------------------ declarations

  private void declareDouble(boolean inBlock) {
    stmt();
    if (chance(15)) {
      String a = fresh("v");
      String b = fresh("v");
      E ea = dval(2);
      E eb = dval(2);
      emit("double " + a + " = " + ea.j() + ", " + b + " = " + eb.j() + ";",
          "D " + a + " = " + ea.d() + ", " + b + " = " + eb.d() + ";");
      declare(new Var(a, T.DBL, true, false));
      declare(new Var(b, T.DBL, true, false));
      count("multi-declarator");
      return;
    }
    String v = fresh("v");
    E raw = dexpr(2);
    E e = loops.isEmpty() ? asD(raw) : squash(raw);
    boolean useVar = e.j().equals(raw.j()) ? raw.t() == T.DBL && chance(15) : chance(15);
    emit((useVar ? "var " : "double ") + v + " = " + e.j() + ";",
        (useVar ? "var " : "D ") + v + " = " + e.d() + ";");
    if (useVar) {
      count("var");
    }
    count(inBlock ? "decl-in-block" : "decl");
    declare(new Var(v, T.DBL, true, false));
  }

  private void declareInt() {
    stmt();
    String k = fresh("k");
    E e = iexpr(2);
    emit("int " + k + " = " + e.j() + ";", "int " + k + " = " + e.d() + ";");
    declare(new Var(k, T.INT, true, false));
    count("int-local");
  }

  private void declareLong() {
    stmt();
    String q = fresh("q");
    if (chance(30)) {
      E i = iexpr(1);
      emit("long " + q + " = (long) " + i.j() + ";", "long " + q + " = (long) " + i.d() + ";");
      count("cast-to-long");
    } else {
      E e = castD(dexpr(1));
      emit("long " + q + " = Math.round(" + e.j() + ");",
          "long " + q + " = D.round(" + e.d() + ");");
      count("math:round");
    }
    declare(new Var(q, T.LONG, true, false));
    count("long-local");
  }

  private void declareBool() {
    stmt();
    String p = fresh("p");
    E e = bexpr(2);
    emit("boolean " + p + " = " + e.j() + ";", "boolean " + p + " = " + e.d() + ";");
    declare(new Var(p, T.BOOL, true, false));
    count("boolean-local");
  }

  private void declareLocalArray() {
    stmt();
    String w = fresh("w");
    E init = newArray();
    if (chance(25) && init.j().startsWith("new double[] {")) {
      // double[] w = {a, b}: the declaration's own initializer.
      init = new E(init.j().substring("new double[] ".length()),
          init.d().substring("new D[] ".length()), T.ARR);
      count("array-initializer");
    }
    emit("double[] " + w + " = " + init.j() + ";", "D[] " + w + " = " + init.d() + ";");
    declare(new Var(w, T.ARR, true, false));
    count("local-array");
  }

  private E newArray() {
    if (chance(50)) {
      int n = 1 + r.nextInt(4);
      count("new-array-literal");
      StringBuilder j = new StringBuilder("new double[] {");
      StringBuilder d = new StringBuilder("new D[] {");
      for (int i = 0; i < n; i++) {
        E e = squash(dexpr(1));
        if (i > 0) {
          j.append(", ");
          d.append(", ");
        }
        j.append(e.j());
        d.append(e.d());
      }
      return new E(j.append('}').toString(), d.append('}').toString(), T.ARR);
    }
    E n = arraySize();
    count("new-array");
    return new E("new double[" + n.j() + "]", "D.zeros(" + n.d() + ")", T.ARR);
  }

  /** A positive array length. */
  private E arraySize() {
    List<Var> arrays = visible(T.ARR);
    if (!arrays.isEmpty() && chance(30)) {
      Var a = pick(arrays);
      return new E(a.name + ".length", a.name + ".length", T.INT);
    }
    String n = String.valueOf(1 + r.nextInt(5));
    return new E(n, n, T.INT);
  }

  private void declareLocalMatrix() {
    stmt();
    String g = fresh("g");
    if (chance(30)) {
      // A rectangular matrix literal, as a declaration's initializer or with new.
      int rows = 1 + r.nextInt(3);
      int cols = 1 + r.nextInt(3);
      StringBuilder j = new StringBuilder("{");
      StringBuilder d = new StringBuilder("{");
      for (int i = 0; i < rows; i++) {
        j.append(i > 0 ? ", {" : "{");
        d.append(i > 0 ? ", {" : "{");
        for (int c = 0; c < cols; c++) {
          E e = squash(dexpr(1));
          j.append(c > 0 ? ", " : "").append(e.j());
          d.append(c > 0 ? ", " : "").append(e.d());
        }
        j.append('}');
        d.append('}');
      }
      j.append('}');
      d.append('}');
      boolean withNew = chance(50);
      emit("double[][] " + g + " = " + (withNew ? "new double[][] " : "") + j + ";",
          "D[][] " + g + " = " + (withNew ? "new D[][] " : "") + d + ";");
      declare(new Var(g, T.MAT, true, false));
      count("matrix-literal");
      return;
    }
    if (chance(20)) {
      // new double[n][], then each row assigned whole: rows of one length.
      int rows = 1 + r.nextInt(3);
      int cols = 1 + r.nextInt(3);
      emit("double[][] " + g + " = new double[" + rows + "][];",
          "D[][] " + g + " = new D[" + rows + "][];");
      for (int i = 0; i < rows; i++) {
        StringBuilder j = new StringBuilder();
        StringBuilder d = new StringBuilder();
        for (int c = 0; c < cols; c++) {
          E e = squash(dexpr(1));
          j.append(c > 0 ? ", " : "").append(e.j());
          d.append(c > 0 ? ", " : "").append(e.d());
        }
        emit(g + "[" + i + "] = new double[] {" + j + "};",
            g + "[" + i + "] = new D[] {" + d + "};");
      }
      declare(new Var(g, T.MAT, true, false));
      count("matrix-of-rows");
      return;
    }
    Var source = rowSource();
    if (source != null && chance(25)) {
      // {a, a} or {h[i], h[k]}: rows that are existing arrays, storage shared.
      int rows = 1 + r.nextInt(3);
      StringBuilder j = new StringBuilder("{");
      StringBuilder d = new StringBuilder("{");
      for (int i = 0; i < rows; i++) {
        E row = sameShapeRow(source);
        j.append(i > 0 ? ", " : "").append(row.j());
        d.append(i > 0 ? ", " : "").append(row.d());
      }
      boolean withNew = chance(50);
      emit("double[][] " + g + " = " + (withNew ? "new double[][] " : "") + j + "};",
          "D[][] " + g + " = " + (withNew ? "new D[][] " : "") + d + "};");
      declare(new Var(g, T.MAT, source.writable, source.constant));
      count("matrix-of-existing-rows");
      return;
    }
    E rows = arraySize();
    E cols = arraySize();
    emit("double[][] " + g + " = new double[" + rows.j() + "][" + cols.j() + "];",
        "D[][] " + g + " = D.zeros(" + rows.d() + ", " + cols.d() + ");");
    declare(new Var(g, T.MAT, true, false));
    count("local-matrix");
  }

  /** An array whose rows (a matrix) or which itself (a vector) can be the rows of a new matrix. */
  private Var rowSource() {
    List<Var> sources = visible(T.ARR);
    sources.addAll(visible(T.MAT));
    return sources.isEmpty() ? null : pick(sources);
  }

  /** {@code a} for a vector source, {@code h[(i) % h.length]} for a matrix: all one length. */
  private E sameShapeRow(Var source) {
    if (source.t == T.ARR) {
      return new E(source.name, source.name, T.ARR);
    }
    E i = iexpr(1);
    return new E(source.name + "[(" + i.j() + ") % " + source.name + ".length]",
        source.name + "[(" + i.d() + ") % " + source.name + ".length]", T.ARR);
  }

  /**
   * {@code double[][][] u}: new and rectangular, a literal, or planes that are one existing
   * matrix (storage shared).
   */
  private void declareLocalTensor() {
    stmt();
    String u = fresh("u");
    List<Var> mats = visible(T.MAT);
    int k = r.nextInt(10);
    if (k < 3 && !mats.isEmpty()) {
      Var g = pick(mats);
      String planes = chance(50) ? "{" + g.name + "}" : "{" + g.name + ", " + g.name + "}";
      emit("double[][][] " + u + " = " + planes + ";", "D[][][] " + u + " = " + planes + ";");
      declare(new Var(u, T.TEN, g.writable, g.constant));
      count("tensor-of-existing-planes");
      return;
    }
    if (k < 5) {
      int planes = 1 + r.nextInt(2);
      StringBuilder j = new StringBuilder("{");
      StringBuilder d = new StringBuilder("{");
      for (int p = 0; p < planes; p++) {
        j.append(p > 0 ? ", {" : "{");
        d.append(p > 0 ? ", {" : "{");
        for (int i = 0; i < 2; i++) {
          E a = squash(dexpr(1));
          E b = squash(dexpr(1));
          j.append(i > 0 ? ", " : "").append("{").append(a.j()).append(", ").append(b.j())
              .append("}");
          d.append(i > 0 ? ", " : "").append("{").append(a.d()).append(", ").append(b.d())
              .append("}");
        }
        j.append('}');
        d.append('}');
      }
      emit("double[][][] " + u + " = " + j + "};", "D[][][] " + u + " = " + d + "};");
      declare(new Var(u, T.TEN, true, false));
      count("tensor-literal");
      return;
    }
    E a = arraySize();
    E b = arraySize();
    E c = arraySize();
    emit("double[][][] " + u + " = new double[" + a.j() + "][" + b.j() + "][" + c.j() + "];",
        "D[][][] " + u + " = D.zeros(" + a.d() + ", " + b.d() + ", " + c.d() + ");");
    declare(new Var(u, T.TEN, true, false));
    count("local-tensor");
  }

  /** {@code double[] r = <array or row>}: rows of local matrices are writable aliases. */
  private void declareAlias() {
    List<Var> tens = visible(T.TEN);
    if (!tens.isEmpty() && chance(30)) {
      stmt();
      Var t = pick(tens);
      E p = iexpr(1);
      String plane = t.name + "[(" + p.j() + ") % " + t.name + ".length]";
      String planeD = t.name + "[(" + p.d() + ") % " + t.name + ".length]";
      if (chance(50)) {
        String name = fresh("pl");
        emit("double[][] " + name + " = " + plane + ";", "D[][] " + name + " = " + planeD + ";");
        declare(new Var(name, T.MAT, t.writable, t.constant));
        count("plane-alias");
      } else {
        String name = fresh("r");
        E i = iexpr(1);
        emit("double[] " + name + " = " + plane + "[(" + i.j() + ") % " + t.name + "[0].length];",
            "D[] " + name + " = " + planeD + "[(" + i.d() + ") % " + t.name + "[0].length];");
        declare(new Var(name, T.ARR, t.writable, t.constant));
        count("tensor-row-alias");
      }
      return;
    }
    List<Var> mats = visible(T.MAT);
    List<Var> arrs = visible(T.ARR);
    if (mats.isEmpty() && arrs.isEmpty()) {
      declareLocalArray();
      return;
    }
    stmt();
    String name = fresh("r");
    if (!mats.isEmpty() && (arrs.isEmpty() || chance(70))) {
      Var g = pick(mats);
      E row = iexpr(1);
      String idx = "(" + row.j() + ") % " + g.name + ".length";
      String idxD = "(" + row.d() + ") % " + g.name + ".length";
      emit("double[] " + name + " = " + g.name + "[" + idx + "];",
          "D[] " + name + " = " + g.name + "[" + idxD + "];");
      declare(new Var(name, T.ARR, g.writable, false));
      count(g.writable ? "row-alias-local" : "row-alias-param");
    } else if (chance(25)) {
      // One of two arrays, chosen by ?: (they may differ in length).
      // Of the same kind: gradgen counts a @NoGrad array that may share storage with an active
      // one as active (README), so passing it on to a @NoGrad parameter would be an error.
      Var a = pick(arrs);
      List<Var> same = new ArrayList<>(arrs);
      same.removeIf(v -> v.constant != a.constant);
      Var b = pick(same);
      E c = bexpr(1);
      emit("double[] " + name + " = " + c.j() + " ? " + a.name + " : " + b.name + ";",
          "D[] " + name + " = " + c.d() + " ? " + a.name + " : " + b.name + ";");
      declare(new Var(name, T.ARR, false, a.constant && b.constant));
      count("array-conditional");
    } else {
      Var a = pick(arrs);
      emit("double[] " + name + " = " + a.name + ";", "D[] " + name + " = " + a.name + ";");
      declare(new Var(name, T.ARR, false, a.constant));
      count("array-alias");
    }
  }

  // ------------------------------------------------------------------ statements

  private void block(int depth) {
    int n = 1 + r.nextInt(depth >= 3 ? 6 : 4);
    for (int i = 0; i < n && budget > 0; i++) {
      statement(depth);
    }
  }

  private void body(int depth) {
    scopes.push(new ArrayList<>());
    indent += 2;
    nesting++;
    if (nesting == 5) {
      count("nesting-5");
    }
    block(depth);
    nesting--;
    indent -= 2;
    scopes.pop();
  }

  private void statement(int depth) {
    if (shape == Shape.STRAIGHT) {
      straightStatement();
      return;
    }
    if (shape == Shape.DEEP && depth > 0 && chance(45)) {
      // Deep methods nest branches and loops up to five levels.
      if (loops.size() < maxLoops && chance(40)) {
        loop(depth);
      } else {
        ifStatement(depth);
      }
      return;
    }
    int k = r.nextInt(100);
    if (k < 17) {
      assignScalar();
    } else if (k < 26) {
      compoundScalar();
    } else if (k < 34) {
      if (chance(20) && !visibleWritable(T.ARR).isEmpty()) {
        sweep();
      } else {
        writeElement();
      }
    } else if (k < 37) {
      reassignArray();
    } else if (k < 41) {
      intUpdate();
    } else if (k < 43) {
      stepValue();
    } else if (k < 45) {
      boolUpdate();
    } else if (k < 48) {
      customRule();
    } else if (k < 55) {
      declaration();
    } else if (k < 57 && depth > 0) {
      nestedBlock(depth);
    } else if (k < 58) {
      stmt();
      emit(";", ";");
      count("empty-statement");
    } else if (k < 59) {
      // A debugging print (an empty format: it prints nothing, but evaluates its arguments).
      stmt();
      E a = dval(2);
      E i = iexpr(1);
      emit("System.err.printf(\"\", " + a.j() + ", " + i.j() + ");",
          "System.err.printf(\"\", " + a.d() + ", " + i.d() + ");");
      count("print");
    } else if (k < 60 && depth > 0) {
      switchStatement(depth);
    } else if (k < 67 && depth > 0) {
      ifStatement(depth);
    } else if (k < 81 && depth > 0 && loops.size() < maxLoops) {
      loop(depth);
    } else if (k < 88 && !loops.isEmpty()) {
      jump();
    } else if (k < 92) {
      earlyReturn();
    } else {
      assignScalar();
    }
  }

  /** A statement of a long straight-line method: no branches, loops or early returns. */
  private void straightStatement() {
    int k = r.nextInt(100);
    if (k < 30) {
      assignScalar();
    } else if (k < 45) {
      compoundScalar();
    } else if (k < 60) {
      writeElement();
    } else if (k < 65) {
      intUpdate();
    } else if (k < 70) {
      stepValue();
    } else if (k < 75) {
      customRule();
    } else {
      declaration();
    }
  }

  private void declaration() {
    switch (r.nextInt(9)) {
      case 0 -> declareDouble(true);
      case 1 -> declareInt();
      case 2 -> declareBool();
      case 3 -> declareLong();
      case 4 -> declareAlias();
      case 5 -> declareWithoutInitializer();
      case 6 -> declareIntArray();
      case 7 -> declareLocalArray();
      default -> declareLocalMatrix();
    }
  }

  /** {@code { ... }}: a block of its own, with its own scope. */
  private void nestedBlock(int depth) {
    stmt();
    emit("{", "{");
    body(depth - 1);
    emit("}", "}");
    count("block");
  }

  /** {@code double v;} and then its first assignment. */
  private void declareWithoutInitializer() {
    stmt();
    String v = fresh("v");
    E e = dval(2);
    if (!loops.isEmpty()) {
      e = squash(e);
    }
    emit("double " + v + ";", "D " + v + ";");
    emit(v + " = " + e.j() + ";", v + " = " + e.d() + ";");
    declare(new Var(v, T.DBL, true, false));
    count("decl-without-initializer");
  }

  /** {@code int[] ks = new int[n]}, {@code = {a, b}} or {@code = new int[] {a, b}}. */
  private void declareIntArray() {
    stmt();
    String name = fresh("ks");
    String init;
    String initD;
    switch (r.nextInt(3)) {
      case 0 -> {
        E n = arraySize();
        init = "new int[" + n.j() + "]";
        initD = "new int[" + n.d() + "]";
      }
      case 1 -> {
        E a = ileaf();
        E b = iexpr(1);
        init = "{" + a.j() + ", " + b.j() + "}";
        initD = "{" + a.d() + ", " + b.d() + "}";
      }
      default -> {
        E a = iexpr(1);
        init = "new int[] {" + a.j() + "}";
        initD = "new int[] {" + a.d() + "}";
      }
    }
    emit("int[] " + name + " = " + init + ";", "int[] " + name + " = " + initD + ";");
    declare(new Var(name, T.INTS, true, false));
    count("int-array-local");
  }

  /** {@code v++}, {@code --v} on a double variable or an array element. */
  private void stepValue() {
    List<Var> ds = visibleWritable(T.DBL);
    List<Var> arrs = visibleWritable(T.ARR);
    String op = r.nextBoolean() ? "++" : "--";
    String dual = op.equals("++") ? "D.add" : "D.sub";
    String target;
    String targetD;
    if (!ds.isEmpty() && (arrs.isEmpty() || chance(60))) {
      Var v = pick(ds);
      target = v.name;
      targetD = v.name;
      count("double-step");
    } else if (!arrs.isEmpty()) {
      Var a = pick(arrs);
      pure++;
      E i = iexpr(1);
      pure--;
      target = a.name + "[(" + i.j() + ") % " + a.name + ".length]";
      targetD = a.name + "[(" + i.d() + ") % " + a.name + ".length]";
      count("element-step");
    } else {
      assignScalar();
      return;
    }
    stmt();
    if (targetD.equals(target) && !target.contains("[")) {
      emit(chance(50) ? target + op + ";" : op + target + ";",
          target + " = " + dual + "(" + target + ", D.c(1.0));");
    } else {
      // The index is evaluated once in Java; the dual twin evaluates it twice, which is the
      // same as long as it has no side effects (indices never do).
      emit(target + op + ";", targetD + " = " + dual + "(" + targetD + ", D.c(1.0));");
    }
  }

  /** {@code p = <boolean>} on a writable boolean. */
  private void boolUpdate() {
    List<Var> bs = visibleWritable(T.BOOL);
    if (bs.isEmpty()) {
      declareBool();
      return;
    }
    stmt();
    Var p = pick(bs);
    E e = chance(30) ? new E("!" + p.name, "!" + p.name, T.BOOL) : bexpr(1);
    emit(p.name + " = " + e.j() + ";", p.name + " = " + e.d() + ";");
    count("boolean-assign");
  }

  /**
   * A call of a function with a custom rule (the batch's Support class; its dual twins compute
   * the same values over dual numbers), as the right-hand side of a statement.
   */
  private void customRule() {
    List<Var> arrs = visible(T.ARR);
    // 0-1 and 4-5: rules beside the function (Support); 2-3 and 6: declared by annotation
    // (LibRules, for the class Lib), some of them derived from the other kind.
    int k = arrs.isEmpty() ? r.nextInt(4) : r.nextInt(7);
    k = k == 2 || k == 3 ? k + 10 : k == 4 ? 2 : k == 5 ? 3 : k == 6 ? 16 : k;
    E call;
    switch (k) {
      case 12 -> {
        E a = dval(1);
        E b = squash(dexpr(1));
        call = new E("Lib.bump(" + a.j() + ", " + b.j() + ")",
            "Lib.bump(" + a.d() + ", " + b.d() + ")", T.DBL);
        count("rule:bump");
      }
      case 13 -> {
        E a = dval(1);
        call = new E("Lib.wave(" + a.j() + ")", "Lib.wave(" + a.d() + ")", T.DBL);
        count("rule:wave");
      }
      case 16 -> {
        Var a = pick(arrs);
        E b = squash(dexpr(1));
        call = new E("Lib.norm2(" + a.name + ", " + b.j() + ")",
            "Lib.norm2(" + a.name + ", " + b.d() + ")", T.DBL);
        count("rule:norm2");
      }
      case 0 -> {
        E a = dval(1);
        E b = dval(1);
        if (chance(30)) {
          // A value the derivative must not flow through: a constant to the dual numbers too.
          a = new E("dev.gradgen.StopGradient.of(" + a.j() + ")", "D.c((" + a.d() + ").value())",
              T.DBL);
          count("stop-gradient");
        }
        call = new E("Support.softclip(" + a.j() + ", " + b.j() + ")",
            "Support.softclip(" + a.d() + ", " + b.d() + ")", T.DBL);
        count("rule:softclip");
      }
      case 1 -> {
        E a = squash(dexpr(1));
        call = new E("Support.cube(" + a.j() + ")", "Support.cube(" + a.d() + ")", T.DBL);
        count("rule:cube");
      }
      case 2 -> {
        Var a = pick(arrs);
        call = new E("Support.sumsq(" + a.name + ")", "Support.sumsq(" + a.name + ")", T.DBL);
        count("rule:sumsq");
      }
      default -> {
        stmt();
        Var a = pick(arrs);
        E s = fn("tanh", dexpr(1));
        String w = fresh("w");
        emit("double[] " + w + " = Support.scaled(" + s.j() + ", " + a.name + ");",
            "D[] " + w + " = Support.scaled(" + s.d() + ", " + a.name + ");");
        declare(new Var(w, T.ARR, true, false));
        count("rule:scaled");
        return;
      }
    }
    List<Var> vs = visibleWritable(T.DBL);
    E e = !loops.isEmpty() ? squash(call) : call;
    stmt();
    if (vs.isEmpty() || chance(30)) {
      String v = fresh("v");
      emit("double " + v + " = " + e.j() + ";", "D " + v + " = " + e.d() + ";");
      declare(new Var(v, T.DBL, true, false));
    } else {
      Var v = pick(vs);
      emit(v.name + " = " + e.j() + ";", v.name + " = " + e.d() + ";");
    }
  }

  private void assignScalar() {
    List<Var> vs = visibleWritable(T.DBL);
    if (vs.isEmpty()) {
      declareDouble(true);
      return;
    }
    stmt();
    Var v = pick(vs);
    E e = dval(2);
    if (!loops.isEmpty() || chance(30)) {
      e = squash(e);
    }
    emit(v.name + " = " + e.j() + ";", v.name + " = " + e.d() + ";");
    count("assign");
  }

  private void compoundScalar() {
    List<Var> vs = visibleWritable(T.DBL);
    if (vs.isEmpty()) {
      declareDouble(true);
      return;
    }
    stmt();
    Var v = pick(vs);
    E e = compoundOperand();
    String op = compoundOp;
    emit(v.name + " " + op + "= " + e.j() + ";",
        v.name + " = " + dualOp(op) + "(" + v.name + ", " + e.d() + ");");
    count("compound" + op);
  }

  private String compoundOp;

  /** A bounded-growth right-hand side for {@code += -= *= /=}; sets {@link #compoundOp}. */
  private E compoundOperand() {
    int k = r.nextInt(4);
    E e = dexpr(2);
    switch (k) {
      case 0 -> {
        compoundOp = "+";
        return scale(squash(e));
      }
      case 1 -> {
        compoundOp = "-";
        return scale(squash(e));
      }
      case 2 -> {
        compoundOp = "*";
        E c = fn("cos", e);
        return chance(50) ? c : fn("tanh", e);
      }
      default -> {
        compoundOp = "/";
        E s = fn("sin", e);
        return new E("(2.0 + " + s.j() + ")", "D.add(D.c(2.0), " + s.d() + ")", T.DBL);
      }
    }
  }

  private static String dualOp(String op) {
    return switch (op) {
      case "+" -> "D.add";
      case "-" -> "D.sub";
      case "*" -> "D.mul";
      default -> "D.div";
    };
  }

  private E scale(E e) {
    String c = lit(0.5 * (1 + r.nextInt(3)) / 2);
    return new E(c + " * " + e.j(), "D.mul(D.c(" + c + "), " + e.d() + ")", T.DBL);
  }

  private void writeElement() {
    List<Var> ints = visibleWritable(T.INTS);
    if (!ints.isEmpty() && chance(15)) {
      stmt();
      Var a = pick(ints);
      E i = iexpr(1);
      E v = iexpr(1);
      String target = a.name + "[(" + i.j() + ") % " + a.name + ".length]";
      String targetD = a.name + "[(" + i.d() + ") % " + a.name + ".length]";
      emit(target + " = " + v.j() + ";", targetD + " = " + v.d() + ";");
      count("int-array-write");
      return;
    }
    List<Var> arrs = visibleWritable(T.ARR);
    List<Var> mats = visibleWritable(T.MAT);
    mats.removeIf(g -> m.params.stream().anyMatch(p -> p.name().equals(g.name))); // not params
    List<Var> tens = visibleWritable(T.TEN);
    tens.removeIf(t -> m.params.stream().anyMatch(p -> p.name().equals(t.name)));
    if ((!mats.isEmpty() || !tens.isEmpty()) && chance(15)) {
      writeRow(mats, tens);
      return;
    }
    if (!tens.isEmpty() && chance(25)) {
      stmt();
      Var t = pick(tens);
      pure++;
      E p = iexpr(1);
      E i = iexpr(1);
      E j = iexpr(1);
      pure--;
      E e = squash(dval(2));
      emit(t.name + "[(" + p.j() + ") % " + t.name + ".length][(" + i.j() + ") % " + t.name
          + "[0].length][(" + j.j() + ") % " + t.name + "[0][0].length] = " + e.j() + ";",
          t.name + "[(" + p.d() + ") % " + t.name + ".length][(" + i.d() + ") % " + t.name
          + "[0].length][(" + j.d() + ") % " + t.name + "[0][0].length] = " + e.d() + ";");
      count("tensor-write");
      return;
    }
    if (arrs.isEmpty() && mats.isEmpty()) {
      if (chance(50)) {
        declareLocalArray();
      } else {
        declareLocalMatrix();
      }
      return;
    }
    stmt();
    String target;
    String targetD;
    pure++;
    if (!mats.isEmpty() && (arrs.isEmpty() || chance(40))) {
      Var g = pick(mats);
      E i = iexpr(1);
      E j = iexpr(1);
      // Matrices are rectangular (locals are created so, parameters are passed so).
      target = g.name + "[(" + i.j() + ") % " + g.name + ".length][(" + j.j() + ") % " + g.name
          + "[0].length]";
      targetD = g.name + "[(" + i.d() + ") % " + g.name + ".length][(" + j.d() + ") % " + g.name
          + "[0].length]";
      count("matrix-write");
    } else {
      Var a = pick(arrs);
      E i = iexpr(1);
      target = a.name + "[(" + i.j() + ") % " + a.name + ".length]";
      targetD = a.name + "[(" + i.d() + ") % " + a.name + ".length]";
      count("array-write");
    }
    pure--;
    if (chance(40)) {
      E e = compoundOperand();
      String op = compoundOp;
      emit(target + " " + op + "= " + e.j() + ";",
          targetD + " = " + dualOp(op) + "(" + targetD + ", " + e.d() + ");");
      count("compound" + op);
    } else {
      E e = dval(2);
      if (!loops.isEmpty() || chance(30)) {
        e = squash(e);
      }
      emit(target + " = " + e.j() + ";", targetD + " = " + e.d() + ";");
    }
  }

  /**
   * A loop that overwrites a vector element by element, {@code a[i] = ...} with {@code i} the
   * counter, as numerical code does (Runge–Kutta stages, centred vectors): what gradgen saves
   * as one block when nothing in the loop's backward code reads the vector.
   */
  private void sweep() {
    stmt();
    Var a = pick(visibleWritable(T.ARR));
    String i = counterName();
    // the neighbours' form, i + 1 < a.length, counts to a.length - 1
    boolean neighbours = false;
    String head;
    if (chance(70)) {
      head = "for (int " + i + " = 0; " + i + " < " + a.name + ".length; " + i + "++) {";
    } else if (chance(50)) {
      head = "for (int " + i + " = 1; " + i + " <= " + a.name + ".length - 1; " + i + "++) {";
    } else {
      neighbours = true;
      head = "for (int " + i + " = 0; " + i + " + 1 < " + a.name + ".length; " + i + "++) {";
    }
    emit(head, head);
    indent += 2;
    scopes.push(new ArrayList<>());
    declare(new Var(i, T.INT, false, false));
    E e = squash(dval(2));
    if (chance(50)) {
      emit(a.name + "[" + i + "] = " + e.j() + ";", a.name + "[" + i + "] = " + e.d() + ";");
    } else {
      emit(a.name + "[" + i + "] += " + e.j() + ";",
          a.name + "[" + i + "] = D.add(" + a.name + "[" + i + "], " + e.d() + ");");
    }
    scopes.pop();
    indent -= 2;
    emit("}", "}");
    count(neighbours ? "element-sweep, i + 1 < a.length" : "element-sweep");
  }

  /**
   * A row (or a plane) assigned whole: another row of the same array, which then shares its
   * storage, or a new zero row. Shapes stay rectangular.
   */
  private void writeRow(List<Var> mats, List<Var> tens) {
    stmt();
    boolean tensor = !tens.isEmpty() && (mats.isEmpty() || chance(40));
    Var g = pick(tensor ? tens : mats);
    pure++;
    E i = iexpr(1);
    E k = iexpr(1);
    pure--;
    String target = g.name + "[(" + i.j() + ") % " + g.name + ".length]";
    String targetD = g.name + "[(" + i.d() + ") % " + g.name + ".length]";
    String source = g.name + "[(" + k.j() + ") % " + g.name + ".length]";
    String sourceD = g.name + "[(" + k.d() + ") % " + g.name + ".length]";
    if (tensor && chance(50)) {
      // A row of a plane.
      E j = iexpr(1);
      E l = iexpr(1);
      target += "[(" + j.j() + ") % " + g.name + "[0].length]";
      targetD += "[(" + j.d() + ") % " + g.name + "[0].length]";
      source += "[(" + l.j() + ") % " + g.name + "[0].length]";
      sourceD += "[(" + l.d() + ") % " + g.name + "[0].length]";
      emit(target + " = " + source + ";", targetD + " = " + sourceD + ";");
      count("tensor-row-write");
      return;
    }
    if (!tensor && chance(35)) {
      emit(target + " = new double[" + g.name + "[0].length];",
          targetD + " = D.zeros(" + g.name + "[0].length);");
      count("new-row-write");
      return;
    }
    emit(target + " = " + source + ";", targetD + " = " + sourceD + ";");
    count(tensor ? "plane-write" : "row-write");
  }

  private void reassignArray() {
    List<Var> arrs = new ArrayList<>();
    for (Var v : visibleWritable(T.ARR)) {
      if (v.name.startsWith("w")) { // locals created with new, not rows
        arrs.add(v);
      }
    }
    List<Var> mats = visibleWritable(T.MAT);
    mats.removeIf(g -> m.params.stream().anyMatch(p -> p.name().equals(g.name))); // not params
    if (arrs.isEmpty() && mats.isEmpty()) {
      declareLocalArray();
      return;
    }
    stmt();
    if (!mats.isEmpty() && (arrs.isEmpty() || chance(30))) {
      Var g = pick(mats);
      E rows = arraySize();
      E cols = arraySize();
      emit(g.name + " = new double[" + rows.j() + "][" + cols.j() + "];",
          g.name + " = D.zeros(" + rows.d() + ", " + cols.d() + ");");
      count("matrix-reassign");
    } else {
      Var a = pick(arrs);
      E init = newArray();
      emit(a.name + " = " + init.j() + ";", a.name + " = " + init.d() + ";");
      count("array-reassign");
    }
  }

  /** An update of a writable int or long; values stay small and non-negative (ints). */
  private void intUpdate() {
    List<Var> ks = visibleWritable(T.INT);
    List<Var> qs = visibleWritable(T.LONG);
    if (ks.isEmpty() && qs.isEmpty()) {
      declareInt();
      return;
    }
    stmt();
    if (!qs.isEmpty() && (ks.isEmpty() || chance(50))) {
      // Longs only meet indices through Math.abs, so they may go negative.
      Var q = pick(qs);
      String text = switch (r.nextInt(6)) {
        case 0 -> q.name + "++;";
        case 1 -> "--" + q.name + ";";
        case 2 -> q.name + " += 2;";
        case 3 -> q.name + " %= 3;";
        case 4 -> q.name + " = (" + q.name + " * 3L + 1) % 5;";
        default -> q.name + " *= 2;";
      };
      emit(text, text);
      count("long-update");
      return;
    }
    Var k = pick(ks);
    switch (r.nextInt(9)) {
      case 0 -> {
        emit(k.name + "++;", k.name + "++;");
        count("int++");
      }
      case 1 -> {
        String c = String.valueOf(1 + r.nextInt(3));
        emit(k.name + " += " + c + ";", k.name + " += " + c + ";");
        count("int+=");
      }
      case 2 -> {
        emit("if (" + k.name + " > 0) " + k.name + "--;", "if (" + k.name + " > 0) " + k.name
            + "--;");
        count("int--");
      }
      case 3 -> {
        String c = String.valueOf(2 + r.nextInt(4));
        emit(k.name + " %= " + c + ";", k.name + " %= " + c + ";");
        count("int%=");
      }
      case 4 -> {
        emit(k.name + " /= 2;", k.name + " /= 2;");
        count("int/=");
      }
      case 5 -> {
        emit(k.name + " *= 1 + " + k.name + " % 2;", k.name + " *= 1 + " + k.name + " % 2;");
        emit(k.name + " %= 7;", k.name + " %= 7;");
        count("int*=");
      }
      default -> {
        E e = iexpr(2);
        String mod = String.valueOf(2 + r.nextInt(6));
        emit(k.name + " = (" + e.j() + ") % " + mod + ";",
            k.name + " = (" + e.d() + ") % " + mod + ";");
        count("int-assign");
      }
    }
  }

  private void ifStatement(int depth) {
    if (chance(12)) {
      elseIfChain();
      return;
    }
    stmt();
    E c = bexpr(2);
    ifDepth++;
    emit("if (" + c.j() + ") {", "if (" + c.d() + ") {");
    body(depth - 1);
    count("if");
    if (chance(50)) {
      if (chance(30)) {
        E c2 = bexpr(2);
        emit("} else if (" + c2.j() + ") {", "} else if (" + c2.d() + ") {");
        body(depth - 1);
        count("else-if");
      }
      emit("} else {", "} else {");
      body(depth - 1);
      count("else");
    }
    emit("}", "}");
    ifDepth--;
  }

  /**
   * A selector and its case labels: an int in 0..4 (constant labels), a String parameter that is
   * not null, or an enum parameter that is not null. Returns {selector text, null guard or null,
   * labels...}.
   */
  private List<String> selector() {
    List<Var> strs = visible(T.STR);
    List<Var> modes = visible(T.MODE);
    int k = r.nextInt(4);
    if (k == 0 && !strs.isEmpty()) {
      String v = pick(strs).name;
      selectorDual = v;
      return List.of(v, v + " != null", "\"a\"", "\"ab\"", "\"abc\"", "\"zz\"");
    }
    List<Var> chars = visible(T.CHR);
    if (k == 2 && !chars.isEmpty()) {
      String v = pick(chars).name;
      selectorDual = v;
      return List.of(v, "", "'a'", "'b'", "'c'", "'q'");
    }
    if (k == 1 && !modes.isEmpty()) {
      String v = pick(modes).name;
      selectorDual = v;
      return List.of(v, v + " != null", "FAST", "SLOW", "EXACT");
    }
    E i = iexpr(1);
    selectorDual = "(" + i.d() + ") % 5";
    return List.of("(" + i.j() + ") % 5", "", "0", "1", "2", "3", "4");
  }

  /** The dual twin's spelling of the last int selector (a String or enum reads the same). */
  private String selectorDual;

  /**
   * A switch statement: classic groups (some falling through, some leaving early, default
   * anywhere) or arrows, on an int, a String or an enum.
   */
  private void switchStatement(int depth) {
    stmt();
    List<String> sel = selector();
    String guard = sel.get(1);
    List<String> labels = new ArrayList<>(sel.subList(2, sel.size()));
    java.util.Collections.shuffle(labels, r);
    boolean arrows = chance(40);
    if (!guard.isEmpty()) {
      emit("if (" + guard + ") {", "if (" + guard + ") {");
      indent += 2;
    }
    emit("switch (" + sel.get(0) + ") {", "switch (" + selectorDual + ") {");
    int groups = 1 + r.nextInt(Math.min(4, labels.size()));
    int defaultAt = chance(70) ? r.nextInt(groups) : -1;
    int next = 0;
    for (int g = 0; g < groups; g++) {
      List<String> mine = new ArrayList<>();
      // Every group keeps at least one label for the groups after it.
      int n = labels.size() - next > groups - g && chance(30) ? 2 : 1;
      for (int q = 0; q < n; q++) {
        mine.add(labels.get(next++));
      }
      if (g == defaultAt && chance(25)) {
        mine.clear(); // default alone
      }
      boolean isDefault = g == defaultAt;
      if (arrows) {
        String head = isDefault && mine.isEmpty() ? "default" : "case " + String.join(", ", mine);
        emit(head + " -> {", head + " -> {");
        if (isDefault && !mine.isEmpty()) {
          // `case 1, default` is not Java: the default gets a group of its own.
          switchBody(depth, false);
          emit("}", "}");
          emit("default -> {", "default -> {");
        }
        switchBody(depth, false);
        emit("}", "}");
      } else {
        for (String l : mine) {
          emit("case " + l + ":", "case " + l + ":");
        }
        if (isDefault) {
          emit("default:", "default:");
        }
        switchBody(depth, g < groups - 1);
      }
    }
    emit("}", "}");
    count(arrows ? "switch-arrows" : "switch");
    if (!guard.isEmpty()) {
      indent -= 2;
      emit("}", "}");
    }
  }

  /** The statements of one case: some leave the switch early, some fall through. */
  private void switchBody(int depth, boolean mayFallThrough) {
    scopes.push(new ArrayList<>());
    indent += 2;
    block(Math.max(0, depth - 1));
    if (chance(25)) {
      E c = bexpr(1);
      emit("if (" + c.j() + ") break;", "if (" + c.d() + ") break;");
      count("switch-break-early");
      assignScalar();
    }
    if (!loops.isEmpty() && chance(15)) {
      E c = bexpr(1);
      emit("if (" + c.j() + ") continue;", "if (" + c.d() + ") continue;");
      count("switch-continue");
    }
    if (!mayFallThrough || chance(60)) {
      emit("break;", "break;");
    } else {
      count("switch-fall-through");
    }
    indent -= 2;
    scopes.pop();
  }

  /**
   * A switch expression: arrows or classic {@code yield}s, exhaustive through a default (or every
   * constant of the enum), guarded against a null selector.
   */
  private E switchExpression(int depth) {
    List<String> sel = selector();
    String guard = sel.get(1);
    List<String> labels = new ArrayList<>(sel.subList(2, sel.size()));
    boolean arrows = chance(60);
    StringBuilder j = new StringBuilder("switch (" + sel.get(0) + ") {");
    StringBuilder d = new StringBuilder("switch (" + selectorDual + ") {");
    int cases = 1 + r.nextInt(labels.size());
    for (int c = 0; c <= cases; c++) {
      String head = c == cases ? "default" : "case " + labels.get(c);
      E e = dval(depth - 1);
      boolean block = chance(35);
      // One case per line, as people write them.
      j.append("\n").append(" ".repeat(indent + 4));
      d.append("\n").append(" ".repeat(indent + 4));
      if (arrows && !block) {
        j.append(' ').append(head).append(" -> ").append(e.j()).append(';');
        d.append(' ').append(head).append(" -> ").append(e.d()).append(';');
      } else if (arrows) {
        j.append(' ').append(head).append(" -> { yield ").append(e.j()).append("; }");
        d.append(' ').append(head).append(" -> { yield ").append(e.d()).append("; }");
      } else {
        j.append(' ').append(head).append(": yield ").append(e.j()).append(';');
        d.append(' ').append(head).append(": yield ").append(e.d()).append(';');
      }
    }
    j.append(" }");
    d.append(" }");
    count("switch-expression");
    if (guard.isEmpty()) {
      return new E("(" + j + ")", "(" + d + ")", T.DBL);
    }
    E other = dval(depth - 1);
    return new E("(" + guard + " ? " + j + " : " + other.j() + ")",
        "((D) (" + guard + " ? " + d + " : " + other.d() + "))", T.DBL);
  }

  /**
   * An {@code else if} chain of 2 to 20 branches on ranges of a value; branches leave early
   * through every exit the position allows (continue, break, labelled ones, return). The final
   * else, if any, never leaves, so the code after the chain stays reachable.
   */
  private void elseIfChain() {
    stmt();
    int n = chance(25) ? 2 + r.nextInt(19) : 2 + r.nextInt(4);
    String v = fresh("s");
    E e = squash(dexpr(1));
    emit("double " + v + " = " + e.j() + ";", "D " + v + " = " + e.d() + ";");
    declare(new Var(v, T.DBL, false, false));
    for (int k = 0; k < n; k++) {
      String threshold = lit(-1 + 2.0 * (k + 1) / n);
      emit((k == 0 ? "if (" : "} else if (") + v + " < " + threshold + ") {",
          (k == 0 ? "if (D.lt(" : "} else if (D.lt(") + v + ", D.c(" + threshold + "))) {");
      scopes.push(new ArrayList<>());
      indent += 2;
      assignScalar();
      if (chance(35)) {
        chainExit();
      }
      indent -= 2;
      scopes.pop();
    }
    if (chance(50)) {
      emit("} else {", "} else {");
      scopes.push(new ArrayList<>());
      indent += 2;
      assignScalar();
      indent -= 2;
      scopes.pop();
    }
    emit("}", "}");
    count(n >= 10 ? "else-if-chain-long" : "else-if-chain");
  }

  /** An unconditional exit at the end of a branch. */
  private void chainExit() {
    List<String> exits = new ArrayList<>(List.of("return"));
    if (!loops.isEmpty()) {
      exits.add("continue");
      exits.add("break");
      for (Loop l : loops) {
        if (l.label() != null) {
          exits.add("continue " + l.label());
          exits.add("break " + l.label());
        }
      }
    }
    String exit = pick(exits);
    if (exit.equals("return")) {
      E e = dval(2);
      emit("return " + e.j() + ";", "return " + e.d() + ";");
    } else {
      emit(exit + ";", exit + ";");
    }
    count("chain-exit:" + exit.replaceAll(" .*", exit.contains(" ") ? "-labelled" : ""));
  }

  private String bound() {
    List<String> options = new ArrayList<>();
    options.add(String.valueOf(1 + r.nextInt(4)));
    for (Var a : visible(T.ARR)) {
      options.add(a.name + ".length");
    }
    for (Var g : visible(T.MAT)) {
      options.add(g.name + ".length");
    }
    for (Var n : visible(T.INT)) {
      if (n.name.equals("n0") && !n.writable) {
        options.add("n0");
        options.add("Math.min(n0, 3)");
      }
    }
    return pick(options);
  }

  private String counterName() {
    for (String c : new String[] {"i", "j", "h", "i2", "j2"}) {
      if (!inScope(c) && chance(70)) {
        return c;
      }
    }
    return fresh("i");
  }

  private void loop(int depth) {
    stmt();
    String label = loops.isEmpty() || chance(60) ? null : fresh("L");
    if (label == null && chance(15)) {
      label = fresh("L");
    }
    String prefix = label == null ? "" : label + ": ";
    if (label != null) {
      count("labelled-loop");
    }
    int kind = r.nextInt(12);
    scopes.push(new ArrayList<>());
    switch (kind) {
      case 7 -> {
        // No condition: the body's first statement leaves the loop.
        String i = counterName();
        String b = bound();
        emit(prefix + "for (int " + i + " = 0; ; " + i + "++) {",
            prefix + "for (int " + i + " = 0; ; " + i + "++) {");
        indent += 2;
        emit("if (" + i + " >= " + b + ") {", "if (" + i + " >= " + b + ") {");
        emit("  break;", "  break;");
        emit("}", "}");
        indent -= 2;
        declare(new Var(i, T.INT, false, false));
        count("for-without-condition");
      }
      case 0, 1, 2 -> {
        String i = counterName();
        String b = bound();
        String head = switch (kind) {
          case 0 -> "for (int " + i + " = 0; " + i + " < " + b + "; " + i + "++)";
          case 1 -> "for (int " + i + " = " + b + " - 1; " + i + " >= 0; " + i + "--)";
          default -> "for (int " + i + " = 0; " + i + " < " + b + "; " + i + " += 2)";
        };
        emit(prefix + head + " {", prefix + head + " {");
        declare(new Var(i, T.INT, false, false));
        count(kind == 1 ? "for-down" : kind == 2 ? "for-step" : "for");
      }
      case 3 -> {
        List<Var> arrs = visible(T.ARR);
        List<Var> mats = visible(T.MAT);
        List<Var> ints = visible(T.INTS);
        if (!ints.isEmpty() && chance(50)) {
          Var a = pick(ints);
          String e = fresh("ke");
          emit(prefix + "for (int " + e + " : " + a.name + ") {",
              prefix + "for (int " + e + " : " + a.name + ") {");
          declare(new Var(e, T.INT, false, false));
          count("foreach-int-array");
        } else if (!visible(T.TEN).isEmpty() && chance(30)) {
          Var t = pick(visible(T.TEN));
          String plane = fresh("plane");
          emit(prefix + "for (double[][] " + plane + " : " + t.name + ") {",
              prefix + "for (D[][] " + plane + " : " + t.name + ") {");
          declare(new Var(plane, T.MAT, t.writable, t.constant));
          count("foreach-tensor");
        } else if (!mats.isEmpty() && (arrs.isEmpty() || chance(30))) {
          Var g = pick(mats);
          String row = fresh("row");
          emit(prefix + "for (double[] " + row + " : " + g.name + ") {",
              prefix + "for (D[] " + row + " : " + g.name + ") {");
          declare(new Var(row, T.ARR, g.writable, g.constant));
          count("foreach-matrix");
        } else if (!arrs.isEmpty()) {
          Var a = pick(arrs);
          String e = fresh("e");
          emit(prefix + "for (double " + e + " : " + a.name + ") {",
              prefix + "for (D " + e + " : " + a.name + ") {");
          declare(new Var(e, T.DBL, false, a.constant));
          count("foreach");
        } else {
          String i = counterName();
          emit(prefix + "for (int " + i + " = 0; " + i + " < 3; " + i + "++) {",
              prefix + "for (int " + i + " = 0; " + i + " < 3; " + i + "++) {");
          declare(new Var(i, T.INT, false, false));
          count("for");
        }
      }
      case 8 -> {
        String i = counterName();
        String b = bound();
        emit(prefix + "for (int " + i + " = 0; " + i + "++ < " + b + "; ) {",
            prefix + "for (int " + i + " = 0; " + i + "++ < " + b + "; ) {");
        declare(new Var(i, T.INT, false, false));
        count("for-postfix-condition");
      }
      case 9 -> {
        String i = counterName();
        String k = fresh("k");
        String b = bound();
        emit(prefix + "for (int " + i + " = 0, " + k + " = 0; " + i + " < " + b + "; " + i
            + " = ++" + k + ") {", prefix + "for (int " + i + " = 0, " + k + " = 0; " + i + " < "
            + b + "; " + i + " = ++" + k + ") {");
        declare(new Var(i, T.INT, false, false));
        count("for-prefix-update");
      }
      case 10 -> {
        // The counter is not visible: it ends at -1.
        String c = fresh("t");
        String b = bound();
        emit("int " + c + " = " + b + ";", "int " + c + " = " + b + ";");
        emit(prefix + "while (" + c + "-- > 0) {", prefix + "while (" + c + "-- > 0) {");
        count("while-postfix");
      }
      case 11 -> {
        String c = fresh("t");
        String b = bound();
        emit("int " + c + " = Math.max(1, " + b + ");", "int " + c + " = Math.max(1, " + b
            + ");");
        emit(prefix + "do {", prefix + "do {");
        declare(new Var(c, T.INT, false, false));
        loops.add(new Loop(label));
        body(depth - 1);
        loops.remove(loops.size() - 1);
        scopes.pop();
        emit("} while (--" + c + " > 0);", "} while (--" + c + " > 0);");
        count("do-prefix");
        return;
      }
      case 4, 5 -> {
        // Counted while: the counter is declared just before, incremented first in the body.
        scopes.pop();
        String c = fresh("t");
        emit("int " + c + " = 0;", "int " + c + " = 0;");
        declare(new Var(c, T.INT, false, false));
        scopes.push(new ArrayList<>());
        String b = bound();
        E cond = bexpr(1);
        emit(prefix + "while (" + c + " < " + b + " && " + cond.j() + ") {",
            prefix + "while (" + c + " < " + b + " && " + cond.d() + ") {");
        indent += 2;
        emit(c + "++;", c + "++;");
        indent -= 2;
        count("while");
      }
      default -> {
        scopes.pop();
        String c = fresh("t");
        emit("int " + c + " = 0;", "int " + c + " = 0;");
        declare(new Var(c, T.INT, false, false));
        scopes.push(new ArrayList<>());
        emit(prefix + "do {", prefix + "do {");
        indent += 2;
        emit(c + "++;", c + "++;");
        indent -= 2;
        loops.add(new Loop(label));
        body(depth - 1);
        loops.remove(loops.size() - 1);
        scopes.pop();
        String b = bound();
        E cond = bexpr(1);
        emit("} while (" + c + " < " + b + " && " + cond.j() + ");",
            "} while (" + c + " < " + b + " && " + cond.d() + ");");
        count("do-while");
        return;
      }
    }
    loops.add(new Loop(label));
    body(depth - 1);
    loops.remove(loops.size() - 1);
    scopes.pop();
    emit("}", "}");
  }

  private void jump() {
    stmt();
    boolean isBreak = chance(50);
    String target = "";
    Loop inner = loops.get(loops.size() - 1);
    List<Loop> labelled = new ArrayList<>();
    for (Loop l : loops) {
      if (l.label() != null) {
        labelled.add(l);
      }
    }
    if (!labelled.isEmpty() && chance(50)) {
      Loop l = pick(labelled);
      target = " " + l.label();
      count(l == inner ? "labelled-jump" : "labelled-jump-outer");
    }
    String kw = isBreak ? "break" : "continue";
    E c = bexpr(2);
    if (chance(50)) {
      emit("if (" + c.j() + ") " + kw + target + ";", "if (" + c.d() + ") " + kw + target + ";");
    } else {
      emit("if (" + c.j() + ") {", "if (" + c.d() + ") {");
      indent += 2;
      if (chance(40)) {
        assignScalar();
      }
      emit(kw + target + ";", kw + target + ";");
      indent -= 2;
      emit("}", "}");
    }
    count(kw);
  }

  private void earlyReturn() {
    stmt();
    E c = bexpr(2);
    E e = dval(2);
    emit("if (" + c.j() + ") {", "if (" + c.d() + ") {");
    indent += 2;
    emit("return " + e.j() + ";", "return " + e.d() + ";");
    indent -= 2;
    emit("}", "}");
    count(loops.isEmpty() ? "early-return" : "early-return-in-loop");
  }

  // ------------------------------------------------------------------ expressions

  private static String lit(double v) {
    String s = Double.toString(v);
    return v < 0 ? "(" + s + ")" : s;
  }

  private E litE(double v) {
    String s = lit(v);
    return new E(s, "D.c(" + s + ")", T.DBL);
  }

  private E randomLiteral() {
    double v = (r.nextInt(33) - 16) / 8.0;
    if (v == 0 && chance(50)) {
      v = 0.5;
    }
    return litE(v);
  }

  /** A double expression for a sink (assignment, return, argument): dual side converted. */
  private E dval(int depth) {
    return asD(dexpr(depth));
  }

  /** An int/long expression cast to double explicitly on the Java side too. */
  private static E castD(E e) {
    if (e.t() == T.DBL) {
      return e;
    }
    return new E("((double) " + e.j() + ")", "D.c(" + e.d() + ")", T.DBL);
  }

  /**
   * As a double for the dual side only (Java promotes implicitly). The Java text keeps its
   * integral type, so the result must only be used where Java widens (sinks, comparisons).
   */
  private static E asD(E e) {
    if (e.t() == T.DBL) {
      return e;
    }
    return new E(e.j(), "D.c(" + e.d() + ")", T.DBL);
  }

  private static E bin(String op, E a, E b) {
    if (op.equals("-") && a.j().equals(b.j())) {
      // x - x is zero for every input: under sqrt or cbrt that is a singular point no input
      // avoids, where forward mode's NaN reaches even the unrelated tangents.
      op = "+";
    }
    String f = switch (op) {
      case "+" -> "D.add";
      case "-" -> "D.sub";
      case "*" -> "D.mul";
      default -> "D.div";
    };
    if (a.t() != T.DBL && b.t() != T.DBL) {
      a = castD(a); // keep Java's arithmetic in double, as the dual's
    }
    E da = asD(a);
    E db = asD(b);
    return new E("(" + a.j() + " " + op + " " + b.j() + ")", f + "(" + da.d() + ", " + db.d()
        + ")", T.DBL);
  }

  private E fn(String name, E... args) {
    count("math:" + name);
    String owner = chance(10) ? "StrictMath" : "Math";
    StringBuilder j = new StringBuilder(owner + "." + name + "(");
    StringBuilder d = new StringBuilder("D." + name + "(");
    for (int i = 0; i < args.length; i++) {
      if (i > 0) {
        j.append(", ");
        d.append(", ");
      }
      j.append(name.equals("pow") ? args[i].j() : castD(args[i]).j());
      d.append(asD(args[i]).d());
    }
    return new E(j.append(')').toString(), d.append(')').toString(), T.DBL);
  }

  /** A value bounded by about 1 in magnitude. */
  private E squash(E e) {
    String s = SQUASH[r.nextInt(SQUASH.length)];
    if (s.equals("ratio") && e.j().length() >= 60) {
      s = "tanh"; // x / (1 + |x|) repeats x: keep sources from growing exponentially
    }
    count("squash");
    if (s.equals("ratio")) {
      return bin("/", e, bin("+", litE(1.0), fn("abs", e)));
    }
    return fn(s, e);
  }

  private E dleaf() {
    int k = r.nextInt(100);
    if (k < 45) {
      List<Var> vs = visible(T.DBL);
      if (!vs.isEmpty()) {
        Var v = pick(vs);
        return new E(v.name, v.name, T.DBL);
      }
    }
    if (k < 65) {
      List<Var> arrs = visible(T.ARR);
      List<Var> mats = visible(T.MAT);
      List<Var> tens = visible(T.TEN);
      if (!tens.isEmpty() && chance(25)) {
        // Tensors are rectangular, like matrices.
        Var t = pick(tens);
        E p = iexpr(1);
        E i = iexpr(1);
        E j = iexpr(1);
        count("tensor-read");
        return new E(t.name + "[(" + p.j() + ") % " + t.name + ".length][(" + i.j() + ") % "
            + t.name + "[0].length][(" + j.j() + ") % " + t.name + "[0][0].length]",
            t.name + "[(" + p.d() + ") % " + t.name + ".length][(" + i.d() + ") % "
            + t.name + "[0].length][(" + j.d() + ") % " + t.name + "[0][0].length]", T.DBL);
      }
      if (!mats.isEmpty() && (arrs.isEmpty() || chance(35))) {
        Var g = pick(mats);
        E i = iexpr(1);
        E j = iexpr(1);
        String row = g.name + "[(" + i.j() + ") % " + g.name + ".length]";
        String rowD = g.name + "[(" + i.d() + ") % " + g.name + ".length]";
        count("matrix-read");
        return new E(row + "[(" + j.j() + ") % " + g.name + "[0].length]",
            rowD + "[(" + j.d() + ") % " + g.name + "[0].length]", T.DBL);
      }
      List<Var> steppable = visibleWritable(T.INT);
      if (!arrs.isEmpty() && pure == 0 && !steppable.isEmpty() && chance(12)) {
        Var a = pick(arrs);
        Var q = pick(steppable);
        String i = chance(50) ? q.name + "++" : "++" + q.name;
        count("stepped-index");
        return new E(a.name + "[(" + i + ") % " + a.name + ".length]",
            a.name + "[(" + i + ") % " + a.name + ".length]", T.DBL);
      }
      if (!arrs.isEmpty()) {
        Var a = pick(arrs);
        E i = iexpr(1);
        count("array-read");
        return new E(a.name + "[(" + i.j() + ") % " + a.name + ".length]",
            a.name + "[(" + i.d() + ") % " + a.name + ".length]", T.DBL);
      }
    }
    if (k < 72 && m.instance && chance(20)) {
      String self = chance(30) ? "this." : "";
      if (chance(50)) {
        count("field");
        return new E(self + FIELD, "D.c(" + self + FIELD + ")", T.DBL);
      }
      E i = iexpr(1);
      count("field-array");
      return new E(self + FIELD_ARRAY + "[(" + i.j() + ") % " + FIELD_ARRAY + ".length]",
          "D.c(" + self + FIELD_ARRAY + "[(" + i.d() + ") % " + FIELD_ARRAY + ".length])", T.DBL);
    }
    if (k < 72 && chance(12)) {
      List<Var> fs = visible(T.FLT);
      if (!fs.isEmpty() && chance(60)) {
        count("float-parameter");
        String f = pick(fs).name;
        // Java types these as float: + 0.0 makes them double (a float var is an error).
        return chance(50) ? new E("(" + f + " + 0.0)", "D.c(" + f + " + 0.0)", T.DBL)
            : new E("(" + f + " * 0.5f + 0.0)", "D.c(" + f + " * 0.5f + 0.0)", T.DBL);
      }
      count("float-literal");
      return new E("(0.25f + 0.0)", "D.c(0.25f + 0.0)", T.DBL);
    }
    if (k < 72) {
      int c = r.nextInt(CONSTANTS.length + 5);
      if (c == CONSTANTS.length + 2) {
        count("private-constant");
        return new E(PRIVATE_CONSTANT, "D.c(" + PRIVATE_CONSTANT + ")", T.DBL);
      }
      if (c == CONSTANTS.length + 3) {
        count("static-import");
        return new E("S1", "D.c(S1)", T.DBL);
      }
      if (c == CONSTANTS.length + 4) {
        List<Var> modes = visible(T.MODE);
        String arg = modes.isEmpty() ? "Support.Mode.EXACT" : pick(modes).name;
        count("constant-call");
        return new E("Support.weight(" + arg + ")", "D.c(Support.weight(" + arg + "))", T.DBL);
      }
      count("constant");
      if (c == CONSTANTS.length) {
        return new E("Math.PI", "D.c(Math.PI)", T.DBL);
      }
      if (c == CONSTANTS.length + 1) {
        return new E("Math.E", "D.c(Math.E)", T.DBL);
      }
      return new E(CONSTANTS[c], "D.c(" + CONSTANTS[c] + ")", T.DBL);
    }
    if (k < 80) {
      E i = iexpr(1);
      if (chance(50)) {
        count("cast-to-double");
        return new E("((double) " + i.j() + ")", "D.c(" + i.d() + ")", T.DBL);
      }
      count("int-in-double");
      return i;
    }
    if (k < 83) {
      List<Var> ls = visible(T.LONG);
      if (!ls.isEmpty()) {
        count("long-in-double");
        Var q = pick(ls);
        return new E(q.name, q.name, T.LONG);
      }
    }
    return randomLiteral();
  }

  /** A double expression; ints may appear (promoted). */
  private E dexpr(int depth) {
    if (depth <= 0 || chance(20)) {
      return dleaf();
    }
    if (pure == 0 && chance(4)) {
      E e = assignmentAsValue(depth);
      if (e != null) {
        return e;
      }
    }
    if (conditionals < 2 && chance(2)) {
      conditionals++;
      E e = switchExpression(depth);
      conditionals--;
      return e;
    }
    int k = r.nextInt(100);
    if (k < 14) {
      return bin("+", dexpr(depth - 1), dexpr(depth - 1));
    } else if (k < 22) {
      return bin("-", dexpr(depth - 1), dexpr(depth - 1));
    } else if (k < 34) {
      return bin("*", dexpr(depth - 1), dexpr(depth - 1));
    } else if (k < 40) {
      return bin("/", dexpr(depth - 1), denominator(depth - 1));
    } else if (k < 44) {
      E a = castD(dexpr(depth - 1));
      if (chance(15)) {
        count("unary-plus");
        return new E("(+" + a.j() + ")", a.d(), T.DBL);
      }
      count("negate");
      return new E("(-" + a.j() + ")", "D.neg(" + a.d() + ")", T.DBL);
    } else if (k < 78) {
      return mathCall(depth - 1);
    } else if (k < 84 && conditionals < 2) {
      conditionals++;
      E c = bexpr(1);
      E a = dexpr(depth - 1);
      E b = dexpr(depth - 1);
      conditionals--;
      if (a.t() != T.DBL && b.t() != T.DBL) {
        a = castD(a);
      }
      a = asD(a);
      b = asD(b);
      count("ternary");
      // The cast keeps the dual's reference conditional out of javac's (slow) poly typing.
      return new E("(" + c.j() + " ? " + a.j() + " : " + b.j() + ")",
          "((D) (" + c.d() + " ? " + a.d() + " : " + b.d() + "))", T.DBL);
    } else if (k < 92) {
      E call = call();
      if (call != null) {
        return call;
      }
      return dleaf();
    } else {
      return squash(dexpr(depth - 1));
    }
  }

  /**
   * An assignment used as a value: {@code (v = e)}, {@code (v += 0.5 * e)}, {@code ++v},
   * {@code v--}; the dual twin assigns the same way ({@code D.first} gives the postfix value).
   */
  private E assignmentAsValue(int depth) {
    List<Var> vs = visibleWritable(T.DBL);
    if (vs.isEmpty()) {
      return null;
    }
    Var v = pick(vs);
    String n = v.name;
    switch (r.nextInt(4)) {
      case 0 -> {
        E e = squash(dexpr(depth - 1));
        count("assign-as-value");
        return new E("(" + n + " = " + e.j() + ")", "(" + n + " = " + e.d() + ")", T.DBL);
      }
      case 1 -> {
        E e = squash(dexpr(depth - 1));
        count("compound-as-value");
        return new E("(" + n + " += 0.5 * " + e.j() + ")",
            "(" + n + " = D.add(" + n + ", D.mul(D.c(0.5), " + e.d() + ")))", T.DBL);
      }
      case 2 -> {
        boolean up = r.nextBoolean();
        count("prefix-as-value");
        return new E("(" + (up ? "++" : "--") + n + ")",
            "(" + n + " = D." + (up ? "add" : "sub") + "(" + n + ", D.c(1.0)))", T.DBL);
      }
      default -> {
        boolean up = r.nextBoolean();
        count("postfix-as-value");
        return new E("(" + n + (up ? "++" : "--") + ")",
            "D.first(" + n + ", " + n + " = D." + (up ? "add" : "sub") + "(" + n + ", D.c(1.0)))",
            T.DBL);
      }
    }
  }

  private E denominator(int depth) {
    E e = dexpr(depth);
    switch (r.nextInt(5)) {
      case 0 -> {
        return bin("+", litE(1.5), bin("*", e, e));
      }
      case 1 -> {
        return bin("+", litE(1.0), fn("abs", e));
      }
      case 2 -> {
        return bin("+", litE(2.0), fn("sin", e));
      }
      case 3 -> {
        E i = iexpr(1);
        return new E("(" + i.j() + " + 1)", "(" + i.d() + " + 1)", T.INT);
      }
      default -> {
        return litE(1 + r.nextInt(4) * 0.75);
      }
    }
  }

  private E sq(E e) {
    if (e.j().length() >= 60 || SIDE_EFFECT.matcher(e.j()).find()) {
      // e * e repeats e: keep sources from growing exponentially, and keep an assignment inside
      // e from giving the two factors different values (1 + e * e must stay positive).
      return fn("pow", e, litE(2.0)); // e * e repeats e: keep sources from growing exponentially
    }
    return bin("*", e, e);
  }

  private E mathCall(int depth) {
    E e = dexpr(depth);
    E one = litE(1.0);
    switch (r.nextInt(31)) {
      case 0:
        return fn("exp", r.nextBoolean() ? fn("tanh", e) : new E("(-" + sq(e).j() + ")",
            "D.neg(" + sq(e).d() + ")", T.DBL));
      case 1:
        return fn("expm1", fn("sin", e));
      case 2:
        return fn("log", bin("+", one, sq(e)));
      case 3:
        return fn("log1p", sq(e));
      case 4:
        return fn("log10", bin("+", litE(2.0), fn("cos", e)));
      case 5:
        return fn("sqrt", bin("+", one, sq(e)));
      case 6:
        return r.nextBoolean() ? fn("cbrt", e) : fn("cbrt", bin("+", litE(1.5), fn("sin", e)));
      case 7: {
        int c = r.nextInt(4);
        if (c == 0) {
          return fn("pow", bin("+", one, sq(e)), litE((r.nextInt(13) - 6) / 4.0));
        } else if (c == 1) {
          return fn("pow", e, litE(2.0 + r.nextInt(2)));
        } else if (c == 2) {
          return fn("pow", bin("+", litE(1.5), fn("sin", e)), fn("tanh", dexpr(depth)));
        } else {
          E i = iexpr(1);
          return fn("pow", e, new E(i.j(), i.d(), T.INT));
        }
      }
      case 8:
        return fn("sin", e);
      case 9:
        return fn("cos", e);
      case 10:
        return fn("tan", bin("*", litE(0.7), fn("tanh", e)));
      case 11:
        return fn("asin", bin("*", litE(0.9), fn("tanh", e)));
      case 12:
        return fn("acos", bin("*", litE(0.9), fn("sin", e)));
      case 13:
        return fn("atan", e);
      case 14:
        return fn("atan2", e, r.nextBoolean() ? dexpr(depth)
            : bin("+", litE(2.0), fn("sin", dexpr(depth))));
      case 15:
        return fn("sinh", fn("tanh", e));
      case 16:
        return fn("cosh", fn("sin", e));
      case 17:
        return fn("tanh", e);
      case 18:
        return fn("hypot", e, r.nextBoolean() ? dexpr(depth) : bin("+", litE(0.5), sq(dexpr(depth))));
      case 19:
        return fn("abs", e);
      case 20:
        return fn("max", e, dexpr(depth));
      case 21:
        return fn("min", e, dexpr(depth));
      case 22:
        return fn("toRadians", e);
      case 23:
        return fn("toDegrees", fn("tanh", e));
      case 24: {
        String f = new String[] {"signum", "floor", "ceil", "rint"}[r.nextInt(4)];
        return bin("*", fn(f, e), dexpr(depth));
      }
      case 25: {
        count("math:round");
        E a = castD(e);
        String owner = chance(10) ? "StrictMath" : "Math";
        return new E(owner + ".round(" + a.j() + ")", "D.round(" + a.d() + ")", T.LONG);
      }
      case 27:
        return chance(50) ? fn("fma", e, dexpr(depth), dexpr(depth))
            : fn("copySign", e, dexpr(depth));
      case 28:
        return fn("IEEEremainder", e, bin("+", litE(2.0), fn("sin", dexpr(depth))));
      case 29: {
        count("math:scalb");
        E a = castD(e);
        String k = String.valueOf(r.nextInt(5) - 2);
        String owner = chance(10) ? "StrictMath" : "Math";
        return new E(owner + ".scalb(" + a.j() + ", " + k + ")", "D.scalb(" + asD(e).d() + ", "
            + k + ")", T.DBL);
      }
      case 30: {
        int c = r.nextInt(4);
        if (c == 3) {
          return bin("+", e, fn("ulp", dexpr(depth)));
        }
        return c == 2 ? fn("nextAfter", e, dexpr(depth)) : fn(c == 0 ? "nextUp" : "nextDown", e);
      }
      default:
        return fn("exp", fn("cos", e));
    }
  }

  /** A call of an earlier method of the batch, or null if none fits here. */
  private E call() {
    if (methods.isEmpty() || callNesting >= 2) {
      return null;
    }
    callNesting++;
    try {
      return callOnce();
    } finally {
      callNesting--;
    }
  }

  /** Calls being generated around the current expression (their arguments may call again). */
  private int callNesting;
  /** The method being generated calls itself, with {@code d0 - 1}; and how often it does. */
  private boolean recursive;
  private int selfCalls;

  private E callOnce() {
    for (int attempt = 0; attempt < 4; attempt++) {
      boolean self = recursive && selfCalls < 2 && loops.isEmpty() && callNesting == 1
          && chance(50);
      int k = self ? methods.size() : methods.size() - 1 - r.nextInt(Math.min(methods.size(), 20));
      Method callee = self ? m : methods.get(k);
      if (callee.writesArrays) {
        continue;
      }
      int maxDepth = loops.isEmpty() ? 1 : 0;
      if (!self && callee.callDepth > maxDepth) {
        continue;
      }
      // An instance method: on this object, or from static code on the class's SELF.
      String receiver = !callee.instance ? "" : m.instance ? (chance(30) ? "this." : "")
          : "SELF.";
      if (callee.instance) {
        count(m.instance ? "call-on-this" : "call-on-self-object");
      }
      // One call in four goes to the callee's vector twin (FuzzHarness.vectorTwin), a method
      // returning double[] whose entry 0 is the callee's value, and takes an entry of it.
      boolean vector = !self && chance(25);
      StringBuilder j = new StringBuilder(receiver + callee.name + (vector ? "Vec(" : "("));
      StringBuilder d = new StringBuilder(receiver + callee.name + "(");
      boolean ok = true;
      for (int i = 0; i < callee.params.size() && ok; i++) {
        Param p = callee.params.get(i);
        E arg;
        switch (p.t()) {
          case DBL -> arg = p.noGrad() ? constantArg() : asD(dexpr(1));
          case INT -> {
            E ie = iexpr(1);
            arg = self && p.name().equals("d0") ? new E("d0 - 1", "d0 - 1", T.INT)
                : new E("(" + ie.j() + ") % 4", "(" + ie.d() + ") % 4", T.INT);
          }
          case LONG -> {
            List<Var> qs = visible(T.LONG);
            String q = qs.isEmpty() || chance(30) ? "2L" : pick(qs).name;
            arg = new E(q, q, T.LONG);
          }
          case BOOL -> arg = bexpr(1);
          case MODE, STR -> {
            List<Var> os = visible(p.t());
            String o = !os.isEmpty() && chance(80) ? pick(os).name
                : p.t() == T.MODE ? "Support.Mode.SLOW" : "null";
            arg = new E(o, o, p.t());
          }
          default -> {
            List<Var> vs = visible(p.t());
            if (p.noGrad()) {
              vs.removeIf(v -> !v.constant);
            }
            if (vs.isEmpty()) {
              ok = false;
              arg = null;
            } else {
              Var v = pick(vs);
              arg = new E(v.name, v.name, p.t());
            }
          }
        }
        if (!ok) {
          break;
        }
        if (i > 0) {
          j.append(", ");
          d.append(", ");
        }
        j.append(arg.j());
        d.append(arg.d());
      }
      if (!ok) {
        continue;
      }
      if (self) {
        selfCalls++;
        count("self-call");
      } else {
        m.callees.add(k);
        m.callDepth = Math.max(m.callDepth, callee.callDepth + 1);
      }
      count("call");
      j.append(')');
      d.append(')');
      if (vector) {
        // Entry 1 of the twin is 2.0 (array-literal twins, even index) or sin of the value
        // (Support.spread twins, odd index).
        boolean first = chance(60);
        j.append(first ? "[0]" : "[1]");
        String dual = d.toString();
        // (The call is still evaluated in the dual twin: its arguments may assign.)
        d = new StringBuilder(first ? dual : k % 2 == 0 ? "D.first(D.c(2.0), " + dual + ")"
            : "D.sin(" + dual + ")");
        count("vector-call");
      }
      E c = new E(j.toString(), d.toString(), T.DBL);
      return chance(50) ? c : squash(c);
    }
    return null;
  }

  /** An argument for a @NoGrad double parameter: no derivative may flow into it. */
  private E constantArg() {
    List<Var> cs = new ArrayList<>();
    for (Var v : visible(T.DBL)) {
      if (v.constant) {
        cs.add(v);
      }
    }
    if (!cs.isEmpty() && chance(50)) {
      Var v = pick(cs);
      return new E(v.name, v.name, T.DBL);
    }
    if (chance(30)) {
      return new E(CONSTANTS[0], "D.c(" + CONSTANTS[0] + ")", T.DBL);
    }
    return randomLiteral();
  }

  /** A non-negative, small int expression. */
  private E iexpr(int depth) {
    if (depth <= 0 || chance(35)) {
      return ileaf();
    }
    if (chance(12)) {
      return intBits(depth);
    }
    int k = r.nextInt(100);
    if (k < 25) {
      E a = iexpr(depth - 1);
      E b = iexpr(depth - 1);
      return new E("(" + a.j() + " + " + b.j() + ")", "(" + a.d() + " + " + b.d() + ")", T.INT);
    } else if (k < 40) {
      E a = iexpr(depth - 1);
      String c = String.valueOf(1 + r.nextInt(3));
      E b = iexpr(depth - 1);
      return new E("(" + a.j() + " * " + c + " + " + b.j() + ")",
          "(" + a.d() + " * " + c + " + " + b.d() + ")", T.INT);
    } else if (k < 50) {
      E a = iexpr(depth - 1);
      E b = iexpr(depth - 1);
      count("int-math");
      return new E("Math.abs(" + a.j() + " - " + b.j() + ")",
          "Math.abs(" + a.d() + " - " + b.d() + ")", T.INT);
    } else if (k < 58) {
      E a = iexpr(depth - 1);
      E b = iexpr(depth - 1);
      String f = r.nextBoolean() ? "max" : "min";
      count("int-math");
      return new E("Math." + f + "(" + a.j() + ", " + b.j() + ")",
          "Math." + f + "(" + a.d() + ", " + b.d() + ")", T.INT);
    } else if (k < 66) {
      E a = iexpr(depth - 1);
      String c = String.valueOf(2 + r.nextInt(4));
      return new E("(" + a.j() + " % " + c + ")", "(" + a.d() + " % " + c + ")", T.INT);
    } else if (k < 80) {
      // Data-dependent index: (int) of a value in (0.5, 4.5).
      E e = fn("tanh", dexpr(1));
      count("cast-to-int");
      return new E("((int) (2.5 + 2.0 * " + e.j() + "))",
          "D.toInt(D.add(D.c(2.5), D.mul(D.c(2.0), " + e.d() + ")))", T.INT);
    } else if (k < 86) {
      E e = fn("sin", dexpr(1));
      count("cast-long-to-int");
      count("math:round");
      return new E("((int) Math.round(1.5 + " + e.j() + "))",
          "((int) D.round(D.add(D.c(1.5), " + e.d() + ")))", T.INT);
    } else if (k < 88 && chance(30)) {
      E e = dexpr(1);
      count("math:getExponent");
      String owner = chance(10) ? "StrictMath" : "Math";
      return new E("(Math.abs(" + owner + ".getExponent(" + castD(e).j() + ")) % 4)",
          "(Math.abs(D.getExponent(" + asD(e).d() + ")) % 4)", T.INT);
    } else if (k < 90) {
      List<Var> ls = visible(T.LONG);
      if (!ls.isEmpty()) {
        Var q = pick(ls);
        count("cast-long-to-int");
        // |round(bounded)| is small; keep it non-negative.
        return new E("((int) Math.abs(" + q.name + "))", "((int) Math.abs(" + q.name + "))",
            T.INT);
      }
      return ileaf();
    } else if (conditionals < 2) {
      conditionals++;
      E ie = iexpr(depth - 1);
      E a = ileaf();
      E c = bexpr(0);
      conditionals--;
      count("int-ternary");
      return new E("(" + c.j() + " ? " + ie.j() + " : " + a.j() + ")",
          "(" + c.d() + " ? " + ie.d() + " : " + a.d() + ")", T.INT);
    } else {
      return ileaf();
    }
  }

  /** Shifts, integer division and bitwise operators; non-negative for non-negative operands. */
  private E intBits(int depth) {
    E a = iexpr(depth - 1);
    String[] around = switch (r.nextInt(6)) {
      case 0 -> new String[] {"(", " >> 1)"};
      case 1 -> new String[] {"(", " << 1)"};
      case 2 -> new String[] {"(", " >>> 1)"};
      case 3 -> new String[] {"(", " / 2)"};
      case 4 -> new String[] {"(~", " & 7)"};
      default -> new String[] {"(", " ^ 1)"};
    };
    List<Var> qs = visible(T.LONG);
    if (!qs.isEmpty() && chance(20)) {
      String q = pick(qs).name;
      count("long-bits");
      return new E("((int) (" + q + " & 3L))", "((int) (" + q + " & 3L))", T.INT);
    }
    count("int-bits");
    return new E(around[0] + a.j() + around[1], around[0] + a.d() + around[1], T.INT);
  }

  private E ileaf() {
    int k = r.nextInt(100);
    if (k >= 90) {
      List<Var> ints = visible(T.INTS);
      if (k < 95 && !ints.isEmpty()) {
        Var a = pick(ints);
        E i = ileafPlain();
        count("int-array-read");
        return new E(a.name + "[(" + i.j() + ") % " + a.name + ".length]",
            a.name + "[(" + i.d() + ") % " + a.name + ".length]", T.INT);
      }
      List<Var> strs = visible(T.STR);
      if (k < 97 && !strs.isEmpty()) {
        Var v = pick(strs);
        count("constant-call");
        return new E("Support.letters(" + v.name + ")", "Support.letters(" + v.name + ")", T.INT);
      }
      E i = ileafPlain();
      count("constant-call");
      return new E("Support.table(" + i.j() + ")", "Support.table(" + i.d() + ")", T.INT);
    }
    return ileafPlain();
  }

  private E ileafPlain() {
    List<Var> chars = visible(T.CHR);
    if (!chars.isEmpty() && chance(10)) {
      count("char-parameter");
      String c = pick(chars).name;
      // Sometimes a literal that only a Java escape prints right ('\n', '\'', '\\').
      String lit = pick(List.of("'a'", "'a'", "'\\n'", "'\\''", "'\\\\'"));
      return new E("(" + c + " - " + lit + ")", "(" + c + " - " + lit + ")", T.INT);
    }
    int k = r.nextInt(90);
    if (k < 50) {
      List<Var> ks = visible(T.INT);
      if (!ks.isEmpty()) {
        Var v = pick(ks);
        return new E(v.name, v.name, T.INT);
      }
    }
    if (k < 70) {
      List<Var> arrs = visible(T.ARR);
      arrs.addAll(visible(T.MAT));
      arrs.addAll(visible(T.TEN));
      arrs.addAll(visible(T.INTS));
      if (!arrs.isEmpty()) {
        Var a = pick(arrs);
        return new E(a.name + ".length", a.name + ".length", T.INT);
      }
    }
    String c = String.valueOf(r.nextInt(6));
    return new E(c, c, T.INT);
  }

  /** A boolean expression. */
  private E bexpr(int depth) {
    int k = r.nextInt(100);
    if (depth > 0 && k < 15) {
      E a = bexpr(depth - 1);
      E b = bexpr(depth - 1);
      String op = r.nextBoolean() ? "&&" : "||";
      count("logical");
      return new E("(" + a.j() + " " + op + " " + b.j() + ")",
          "(" + a.d() + " " + op + " " + b.d() + ")", T.BOOL);
    }
    if (depth > 0 && k < 20) {
      E a = bexpr(depth - 1);
      count("not");
      return new E("!" + a.j(), "!" + a.d(), T.BOOL);
    }
    if (k < 26) {
      List<Var> bs = visible(T.BOOL);
      if (!bs.isEmpty()) {
        Var b = pick(bs);
        return new E(b.name, b.name, T.BOOL);
      }
    }
    if (k < 29) {
      // Constant objects decide control flow: an enum constant, null.
      List<Var> objects = visible(T.MODE);
      objects.addAll(visible(T.STR));
      if (!objects.isEmpty()) {
        Var o = pick(objects);
        String op = r.nextBoolean() ? " == " : " != ";
        String other = o.t == T.MODE && chance(70)
            ? "Support.Mode." + new String[] {"FAST", "SLOW", "EXACT"}[r.nextInt(3)] : "null";
        count("object-compare");
        return new E("(" + o.name + op + other + ")", "(" + o.name + op + other + ")", T.BOOL);
      }
    }
    if (depth > 0 && k < 31) {
      E a = bexpr(depth - 1);
      E b = bexpr(depth - 1);
      String op = new String[] {"&", "|", "^"}[r.nextInt(3)];
      count("boolean-bits");
      return new E("(" + a.j() + " " + op + " " + b.j() + ")",
          "(" + a.d() + " " + op + " " + b.d() + ")", T.BOOL);
    }
    if (k < 32) {
      count("boolean-literal");
      String t = r.nextBoolean() ? "true" : "false";
      E a = bexpr(0);
      return new E("(" + a.j() + " || " + t + ")", "(" + a.d() + " || " + t + ")", T.BOOL);
    }
    if (k < 34) {
      List<Var> qs = visible(T.LONG);
      List<Var> bs = visible(T.BOOL);
      if (!qs.isEmpty() && (bs.isEmpty() || chance(50))) {
        Var q = pick(qs);
        count("long-compare");
        return new E("(" + q.name + " > 1L)", "(" + q.name + " > 1L)", T.BOOL);
      }
      if (!bs.isEmpty()) {
        Var b = pick(bs);
        E c = bexpr(0);
        count("boolean-equality");
        return new E("(" + b.name + " == " + c.j() + ")", "(" + b.name + " == " + c.d() + ")",
            T.BOOL);
      }
    }
    if (k < 36) {
      E a = iexpr(1);
      E b = iexpr(1);
      String op = new String[] {"<", "<=", ">", ">=", "==", "!="}[r.nextInt(6)];
      return new E("(" + a.j() + " " + op + " " + b.j() + ")",
          "(" + a.d() + " " + op + " " + b.d() + ")", T.BOOL);
    }
    E a = dexpr(Math.min(depth + 1, 2));
    E b = chance(40) ? randomLiteral() : dexpr(1);
    int o = r.nextInt(20);
    String[] ops = {"<", "<=", ">", ">=", "==", "!="};
    String[] fs = {"lt", "le", "gt", "ge", "eq", "ne"};
    int oi = o < 18 ? o % 4 : 4 + (o - 18);
    count("compare");
    if (a.t() != T.DBL && b.t() != T.DBL) {
      a = castD(a); // keep Java's arithmetic in double, as the dual's
    }
    E da = asD(a);
    E db = asD(b);
    return new E("(" + a.j() + " " + ops[oi] + " " + b.j() + ")",
        "D." + fs[oi] + "(" + da.d() + ", " + db.d() + ")", T.BOOL);
  }
}
