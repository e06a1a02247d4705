package dev.gradgen.gradbench;

/** An evaluate message whose input does not have the shape the function needs. */
public final class BadInput extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * A bad input.
   *
   * @param message what is wrong, naming the field
   */
  public BadInput(String message) {
    super(message);
  }
}
