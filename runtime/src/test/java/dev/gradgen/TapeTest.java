package dev.gradgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The allocating forms' borrowed tapes: reused on a thread, never shared, never hoarded. */
class TapeTest {
  @Test
  void aReleasedTapeIsBorrowedAgainEmpty() {
    Tape first = Tape.borrow();
    first.pushDouble(1.5);
    first.pushInt(3);
    first.pushRef(new double[] {2});
    Tape.release(first);
    Tape second = Tape.borrow();
    assertSame(first, second);
    assertTrue(second.isEmpty());
    assertEquals(0, second.savedBytes());
    Tape.release(second);
  }

  @Test
  void aNestedBorrowGetsATapeOfItsOwn() {
    Tape outer = Tape.borrow();
    Tape inner = Tape.borrow();
    assertNotSame(outer, inner);
    outer.pushDouble(7);
    inner.pushDouble(8);
    Tape.release(inner);
    assertEquals(7, outer.popDouble());
    Tape.release(outer);
  }

  @Test
  void threadsDoNotShareTapes() throws InterruptedException {
    Tape mine = Tape.borrow();
    Tape.release(mine);
    AtomicReference<Tape> theirs = new AtomicReference<>();
    Thread t = new Thread(() -> theirs.set(Tape.borrow()));
    t.start();
    t.join();
    assertNotSame(mine, theirs.get());
    assertSame(mine, Tape.borrow());
  }

  @Test
  void aTapeThatGrewPastTheLimitIsNotKept() {
    Tape big = Tape.borrow();
    for (long i = 0; i <= Tape.SPARE_LIMIT_BYTES / 8; i++) {
      big.pushDouble(i);
    }
    Tape.release(big);
    Tape next = Tape.borrow();
    assertNotSame(big, next);
    Tape.release(next);
  }
}
