package dev.gradgen;

import java.util.Arrays;

/**
 * The stacks generated gradient code uses to carry values from the forward sweep to the backward
 * sweep: overwritten values, branch decisions and loop trip counts. Pushes in the forward sweep are
 * matched one for one by pops, in reverse order, in the backward sweep, so a tape is empty again
 * when a gradient returns and can be reused without clearing.
 *
 * <p>Storage is primitive arrays that grow by doubling and are kept between calls: a tape reused
 * across training steps stops allocating once it has seen the largest call. A tape is not
 * thread-safe; use one per thread.
 *
 * <p><b>For generated code.</b> Users meet a tape only as the last parameter of a generated
 * pullback and inside a generated buffer; its methods are what generated code calls, not API to
 * program against, and may change in any minor release (generated code is recompiled with the
 * runtime it runs on).
 */
public final class Tape {
  /** An empty tape; its storage grows as values are pushed. */
  public Tape() {}

  /**
   * Recorded as a loop iteration's (or a method's) exit code when it ran to its end rather than
   * leaving through a {@code break}, {@code continue} or {@code return}.
   */
  public static final int COMPLETED = Integer.MAX_VALUE;

  private double[] doubles = new double[64];
  private int doubleTop;
  private int[] ints = new int[64];
  private int intTop;
  private Object[] refs = new Object[16];
  private int refTop;

  /**
   * Saves a {@code double}.
   *
   * @param v the value to save
   */
  public void pushDouble(double v) {
    if (doubleTop == doubles.length) {
      doubles = Arrays.copyOf(doubles, grow(doubles.length));
    }
    doubles[doubleTop++] = v;
  }

  /**
   * Pushes {@code v} and returns it: generated forward code wraps an expensive call in it, so the
   * backward code pops the call's value instead of computing it again.
   *
   * @param v the value to save
   * @return {@code v}
   */
  public double keep(double v) {
    pushDouble(v);
    return v;
  }

  /**
   * Takes back the {@code double} saved last.
   *
   * @return the value of the matching {@link #pushDouble} or {@link #keep}
   */
  public double popDouble() {
    return doubles[--doubleTop];
  }

  /**
   * Saves an {@code int}.
   *
   * @param v the value to save
   */
  public void pushInt(int v) {
    if (intTop == ints.length) {
      ints = Arrays.copyOf(ints, grow(ints.length));
    }
    ints[intTop++] = v;
  }

  /**
   * Takes back the {@code int} saved last.
   *
   * @return the value of the matching {@link #pushInt}
   */
  public int popInt() {
    return ints[--intTop];
  }

  /**
   * Saves a {@code long}, as two ints.
   *
   * @param v the value to save
   */
  public void pushLong(long v) {
    pushInt((int) v);
    pushInt((int) (v >>> 32));
  }

  /**
   * Takes back the {@code long} saved last.
   *
   * @return the value of the matching {@link #pushLong}
   */
  public long popLong() {
    long hi = popInt();
    long lo = popInt() & 0xFFFF_FFFFL;
    return (hi << 32) | lo;
  }

  /**
   * Saves a {@code boolean} (a branch decision), as an int.
   *
   * @param v the value to save
   */
  public void pushBoolean(boolean v) {
    pushInt(v ? 1 : 0);
  }

  /**
   * Takes back the {@code boolean} saved last.
   *
   * @return the value of the matching {@link #pushBoolean}
   */
  public boolean popBoolean() {
    return popInt() != 0;
  }

  /**
   * Saves an array reference (a local array that is about to be replaced).
   *
   * @param v the array to save; it is kept as is, not copied
   */
  public void pushRef(Object v) {
    if (refTop == refs.length) {
      refs = Arrays.copyOf(refs, grow(refs.length));
    }
    refs[refTop++] = v;
  }

  /**
   * Takes back the reference saved last, a {@code double[]}.
   *
   * @return the array of the matching {@link #pushRef}
   */
  public double[] popVector() {
    return (double[]) popRef();
  }

  /**
   * Takes back the reference saved last, a {@code double[][]}.
   *
   * @return the array of the matching {@link #pushRef}
   */
  public double[][] popMatrix() {
    return (double[][]) popRef();
  }

  /**
   * Takes back the reference saved last, a {@code double[][][]}.
   *
   * @return the array of the matching {@link #pushRef}
   */
  public double[][][] popTensor() {
    return (double[][][]) popRef();
  }

  /**
   * Takes back the reference saved last, an {@code int[]}.
   *
   * @return the array of the matching {@link #pushRef}
   */
  public int[] popIntVector() {
    return (int[]) popRef();
  }

  private Object popRef() {
    Object v = refs[--refTop];
    refs[refTop] = null;
    return v;
  }

  /**
   * Whether every push has been matched by a pop.
   *
   * @return true when the tape holds no saved value
   */
  public boolean isEmpty() {
    return doubleTop == 0 && intTop == 0 && refTop == 0;
  }

  /**
   * The size of the saved values currently held, for measurement.
   *
   * @return bytes held: 8 per {@code double} and reference, 4 per {@code int}
   */
  public long savedBytes() {
    return 8L * doubleTop + 4L * intTop + 8L * refTop;
  }

  /**
   * Pushes {@code a[from..to)} as one block (elements outside {@code a}, an empty range and a
   * null array are left out, as {@link #popDoubles} leaves them out with the same arguments): the
   * old values of a loop that overwrites those elements one by one.
   *
   * @param a the array
   * @param from the first index
   * @param to the index after the last
   */
  public void pushDoubles(double[] a, int from, int to) {
    if (a == null) {
      return; // the loop runs zero times, or fails on a[i] as it did
    }
    int start = Math.max(0, from);
    int n = Math.min(to, a.length) - start;
    if (n <= 0) {
      return;
    }
    while (doubleTop + n > doubles.length) {
      doubles = Arrays.copyOf(doubles, grow(doubles.length));
    }
    System.arraycopy(a, start, doubles, doubleTop, n);
    doubleTop += n;
  }

  /**
   * Pops the block {@link #pushDoubles} pushed with the same arguments back into
   * {@code a[from..to)}.
   *
   * @param a the array
   * @param from the first index
   * @param to the index after the last
   */
  public void popDoubles(double[] a, int from, int to) {
    if (a == null) {
      return;
    }
    int start = Math.max(0, from);
    int n = Math.min(to, a.length) - start;
    if (n <= 0) {
      return;
    }
    doubleTop -= n;
    System.arraycopy(doubles, doubleTop, a, start, n);
  }

  /**
   * A tape for one call of an allocating form ({@code FooGrad.f(...)} returning a record): this
   * thread's spare tape, whose storage has grown in earlier calls, or a new one if the thread
   * has none or is using it (a nested call). Give it back with {@link #release}.
   *
   * @return an empty tape that no one else uses until it is released
   */
  public static Tape borrow() {
    Tape t = SPARE.get();
    if (t == null) {
      return new Tape();
    }
    SPARE.remove();
    return t;
  }

  /**
   * Gives back a tape from {@link #borrow}: it is cleared and becomes this thread's spare,
   * unless its storage exceeds {@link #SPARE_LIMIT_BYTES}, which is then left to the garbage
   * collector, so that a thread never holds more than that between calls.
   *
   * @param tape the borrowed tape, no longer used by the caller
   */
  public static void release(Tape tape) {
    tape.clear();
    if (tape.capacityBytes() <= SPARE_LIMIT_BYTES) {
      SPARE.set(tape);
    }
  }

  /**
   * The most storage a thread's spare tape keeps between calls: 1/32 of the largest heap the
   * JVM may use, and at least 16 MiB (200 MB with a 6 GB heap, enough for the 20 MB tape of a
   * log-sum-exp over 1.28 million numbers, which a fixed 16 MiB made grow again on every call).
   */
  public static final long SPARE_LIMIT_BYTES =
      Math.max(16L << 20, Runtime.getRuntime().maxMemory() / 32);

  private static final ThreadLocal<Tape> SPARE = new ThreadLocal<>();

  private long capacityBytes() {
    return 8L * doubles.length + 4L * ints.length + 8L * refs.length;
  }

  /** Drops everything, e.g. after an exception escaped a gradient half-way. */
  public void clear() {
    doubleTop = 0;
    intTop = 0;
    Arrays.fill(refs, 0, refTop, null);
    refTop = 0;
  }

  private static int grow(int length) {
    if (length >= Integer.MAX_VALUE / 2) {
      throw new OutOfMemoryError("gradgen tape is full");
    }
    return length * 2;
  }
}
