package dev.gradgen.gradbench;

import java.util.Map;

/**
 * A GradBench module: its name and its functions by name.
 *
 * @param name the module's name, as the eval's define message gives it
 * @param functions the functions, by the names evaluate messages give
 */
public record EvalModule(String name, Map<String, Function> functions) {
  /**
   * A module.
   *
   * @param name its name
   * @param functions its functions, copied
   */
  public EvalModule {
    functions = Map.copyOf(functions);
  }
}
