package dev.gradgen.processor.diag;

import java.util.Locale;

/**
 * Parts of {@link Message}s: the words an argument of a message is made of when it is not a
 * name, type or operator from the user's code (which part of an expression must be a number,
 * what a misused parameter should be instead, why a method is not a custom rule). They have no
 * id of their own and are never reported alone.
 */
public enum Fragment {
  // Which value: arguments of NOT_A_NUMBER, CALL_NEEDS_LOCAL_IN, OPERAND_REASSIGNED and the
  // constant-object messages.
  RETURNED_VALUE("the returned value"),
  LEFT_SIDE("the left side of %s"),
  RIGHT_SIDE("the right side of %s"),
  OPERAND("the operand of %s"),
  UNARY_OPERAND("the operand of unary %s"),
  CONDITIONAL_BRANCH("a branch of ?:"),
  AN_OBJECT("an object"),
  AN_ARRAY("an array"),
  CONSTANT("constant '%s'"),
  THIS_VALUE("this value"),
  NULL("null"),
  UNNAMED_ARRAY("it"),

  // What to do instead: arguments of OBJECT_PARAMETER_AS_VALUE.
  PASS_RECORD_COMPONENTS("pass the record's components as double parameters instead (f(p.x(),"
      + " p.y()) rather than f(p)), or read them in a method without a derivative"),
  PASS_SUPPORTED_ARRAY("gradgen reads double[], double[][], double[][][] and int[] arrays; pass"
      + " the values in one of those"),
  PASS_NUMBERS("pass the numbers it holds as double (or int) parameters, or compute with it in a"
      + " method without a derivative and pass the result"),

  // Why a method named like a custom rule is not one: the argument of NO_USABLE_DERIVATIVE.
  RULE_MISMATCH("its class has %s, but that is not a custom rule of %s: %s; a custom rule of %s"
      + " is %s%s"),
  RULE_RETURNS_ADJOINT(", returning the adjoint of %s"),
  RULE_RETURNS_ADJOINTS(", returning the adjoints of %s in a double[] in that order"),
  RULE_NOT_STATIC("it is not static"),
  RULE_PRIVATE("it is private, so the generated class cannot call it"),
  RULE_TAKES_ONE_PARAMETER("it takes 1 parameter, not %s"),
  RULE_TAKES_PARAMETERS("it takes %s parameters, not %s"),
  RULE_PARAMETER_TYPE("parameter %s is %s, not %s"),
  RULE_RETURN_TYPE("it returns %s, not %s");

  private final String template;
  private final int arity;

  Fragment(String template) {
    this.template = template;
    this.arity = Message.arity(template);
  }

  public String template() {
    return template;
  }

  public int arity() {
    return arity;
  }

  public String text(Object... args) {
    if (args.length != arity) {
      throw new IllegalArgumentException(name() + " takes " + arity + " arguments, not "
          + args.length);
    }
    return String.format(Locale.ROOT, template, args);
  }
}
