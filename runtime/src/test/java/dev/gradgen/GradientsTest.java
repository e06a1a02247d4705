package dev.gradgen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The helpers generated code calls for rank-3 arrays and for arguments it copies. */
class GradientsTest {
  @Test
  void rankThreeShapesCopiesAndSums() {
    double[][][] t = {{{1, 2}, {3}}, {null, {4, 5, 6}}};
    double[][][] z = Gradients.zerosLike(t);
    assertEquals(2, z[0][0].length);
    assertNull(z[1][0]);
    assertEquals(3, z[1][1].length);
    double[][][] c = Gradients.copyOf(t);
    assertNotSame(t[0][1], c[0][1]);
    assertArrayEquals(t[1][1], c[1][1]);
    Gradients.addInto(c, new double[][][] {{{1, 1}, {1}}, {null, {1, 1, 1}}});
    assertArrayEquals(new double[] {5, 6, 7}, c[1][1]);
    assertArrayEquals(new double[] {4, 5, 6}, t[1][1], "the copy is deep");
    assertNull(Gradients.zerosLike((double[][][]) null));
  }

  @Test
  void sharedStorageAmongWrittenArgumentsIsRefusedWithNames() {
    double[] x = {1, 2};
    double[][] m = {x, {3, 4}};
    // Read-only sharing is fine, and so are distinct written arrays.
    Gradients.requireUnshared("f", new String[] {"x", "m"}, new Object[] {x, m},
        new boolean[] {false, false});
    Gradients.requireUnshared("f", new String[] {"y", "k"}, new Object[] {new double[1],
        new int[2]}, new boolean[] {true, true});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Gradients.requireUnshared("f", new String[] {"x", "m"}, new Object[] {x, m},
            new boolean[] {false, true}));
    assertEquals("f: x and m[0] are the same array, and f writes into m; the generated methods"
        + " work on copies of the arrays it writes into, which would not share storage as these"
        + " do: pass arrays that do not share storage", e.getMessage());
    double[][] twice = {x, x};
    e = assertThrows(IllegalArgumentException.class, () -> Gradients.requireUnshared("g",
        new String[] {"m"}, new Object[] {twice}, new boolean[] {true}));
    assertEquals(true, e.getMessage().startsWith("g: m[0] and m[1] are the same array"));
    int[] k = {0};
    e = assertThrows(IllegalArgumentException.class, () -> Gradients.requireUnshared("h",
        new String[] {"a", "b"}, new Object[] {k, k}, new boolean[] {true, false}));
    assertEquals(true, e.getMessage().contains("h writes into a"), e.getMessage());
  }
}
