package dev.gradgen.gradbench;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads an evaluate message's {@code input} into Java arrays before any timing starts, checking
 * each field's shape; a field that is missing or of the wrong shape is a {@link BadInput} naming
 * it.
 */
public final class Inputs {
  private Inputs() {}

  /**
   * The field {@code name} of {@code input}.
   *
   * @param input the input object
   * @param name the field
   * @return the field's value
   * @throws BadInput if {@code input} is no object or has no such field
   */
  public static JsonNode field(JsonNode input, String name) {
    return fieldAt(input, "input", name);
  }

  /**
   * The field {@code name} of the object at {@code path}.
   *
   * @param object the object
   * @param path where the object is, for messages ({@code input.data})
   * @param name the field
   * @return the field's value
   * @throws BadInput if {@code object} is no object or has no such field
   */
  public static JsonNode fieldAt(JsonNode object, String path, String name) {
    if (object == null || !object.isObject()) {
      throw new BadInput(path + ": expected an object with the field \"" + name + "\", got "
          + kind(object));
    }
    JsonNode value = object.get(name);
    if (value == null || value.isNull()) {
      throw new BadInput(path + "." + name + ": missing");
    }
    return value;
  }

  /**
   * A matrix: an array of {@code rows} rows (any number if negative) of {@code columns} numbers
   * each (any one number, the same for all rows, if negative).
   *
   * @param node the value
   * @param path where it is, for messages
   * @param rows the number of rows, or -1
   * @param columns the number of columns, or -1
   * @return the matrix, one array per row
   */
  public static double[][] matrixAt(JsonNode node, String path, int rows, int columns) {
    if (!node.isArray()) {
      throw new BadInput(path + ": expected an array of rows, got " + kind(node));
    }
    if (rows >= 0 && node.size() != rows) {
      throw new BadInput(path + ": expected " + rows + " rows, got " + node.size());
    }
    double[][] m = new double[node.size()][];
    for (int i = 0; i < m.length; i++) {
      m[i] = vectorAt(node.get(i), path + "[" + i + "]");
      int expected = columns >= 0 ? columns : m[0].length;
      if (m[i].length != expected) {
        throw new BadInput(path + "[" + i + "]: expected " + expected + " numbers"
            + (columns >= 0 ? "" : " like row 0") + ", got " + m[i].length);
      }
    }
    return m;
  }

  /**
   * An array of integers, each in {@code [min, max)}.
   *
   * @param node the value
   * @param path where it is, for messages
   * @param length the number of integers, or -1 for any
   * @param min the least value allowed
   * @param max one past the greatest value allowed
   * @return the integers
   */
  public static int[] integersAt(JsonNode node, String path, int length, int min, int max) {
    if (!node.isArray()) {
      throw new BadInput(path + ": expected an array of integers, got " + kind(node));
    }
    if (length >= 0 && node.size() != length) {
      throw new BadInput(path + ": expected " + length + " integers, got " + node.size());
    }
    int[] v = new int[node.size()];
    for (int i = 0; i < v.length; i++) {
      JsonNode e = node.get(i);
      if (!e.isIntegralNumber() || !e.canConvertToInt()) {
        throw new BadInput(path + "[" + i + "]: expected an integer, got " + kind(e));
      }
      v[i] = e.intValue();
      if (v[i] < min || v[i] >= max) {
        throw new BadInput(path + "[" + i + "]: expected an integer in [" + min + ", " + max
            + "), got " + v[i]);
      }
    }
    return v;
  }

  /**
   * A number.
   *
   * @param node the value
   * @param path where it is, for the message
   * @return the number
   */
  public static double numberAt(JsonNode node, String path) {
    if (node == null || !node.isNumber()) {
      throw new BadInput(path + ": expected a number, got " + kind(node));
    }
    return node.doubleValue();
  }

  /**
   * An integer field.
   *
   * @param input the input object
   * @param name the field
   * @param min the least value allowed
   * @return the integer
   */
  public static int integer(JsonNode input, String name, int min) {
    JsonNode node = field(input, name);
    if (!node.canConvertToInt() || !node.isIntegralNumber()) {
      throw new BadInput("input." + name + ": expected an integer, got " + kind(node));
    }
    int value = node.intValue();
    if (value < min) {
      throw new BadInput("input." + name + ": expected at least " + min + ", got " + value);
    }
    return value;
  }

  /**
   * A number field.
   *
   * @param input the input object
   * @param name the field
   * @return the number
   */
  public static double number(JsonNode input, String name) {
    return numberAt(field(input, name), "input." + name);
  }

  /**
   * A vector field of at least {@code minLength} numbers.
   *
   * @param input the input object
   * @param name the field
   * @param minLength the least length allowed
   * @return the vector
   */
  public static double[] vector(JsonNode input, String name, int minLength) {
    double[] v = vectorAt(field(input, name), "input." + name);
    if (v.length < minLength) {
      throw new BadInput("input." + name + ": expected at least " + minLength
          + " numbers, got " + v.length);
    }
    return v;
  }

  /**
   * A matrix field: an array of {@code rows} rows (any number if negative) of {@code columns}
   * numbers each (any one number, the same for all rows, if negative).
   *
   * @param input the input object
   * @param name the field
   * @param rows the number of rows, or -1
   * @param columns the number of columns, or -1
   * @return the matrix, one array per row
   */
  public static double[][] matrix(JsonNode input, String name, int rows, int columns) {
    return matrixAt(field(input, name), "input." + name, rows, columns);
  }


  /**
   * An array of numbers.
   *
   * @param node the value
   * @param path where it is, for messages
   * @return the numbers
   */
  public static double[] vectorAt(JsonNode node, String path) {
    if (!node.isArray()) {
      throw new BadInput(path + ": expected an array of numbers, got " + kind(node));
    }
    double[] v = new double[node.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = numberAt(node.get(i), path + "[" + i + "]");
    }
    return v;
  }

  /**
   * What a value is, for messages: its JSON type and its first characters.
   *
   * @param node the value, or null
   * @return a short description
   */
  public static String kind(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    if (node.isNull()) {
      return "null";
    }
    String text = node.toString();
    String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
    return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + shown;
  }
}
