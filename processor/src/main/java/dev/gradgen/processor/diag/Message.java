package dev.gradgen.processor.diag;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;

/**
 * Every diagnostic the processor reports, once: a stable id, its kind and its text as a
 * {@link String#format} template. Phases find problems and hand on a {@link Diagnosis} (a message
 * and its arguments); {@code GradgenProcessor} reports it at the javac tree or element it was
 * found at.
 *
 * <p>Ids are {@code GG} and three digits; the hundreds say the group (see the comments below).
 * An id is never changed and never reused: a new message takes the next free number of its
 * group, and the id of a removed message stays retired. Templates use {@code %s}, {@code %1$s}
 * and {@code %%} only; the arguments are names, types and operators from the user's code, or
 * {@link Fragment}s.
 *
 * <p>The printed text ends with a line {@code [gradgen:GG123]}, so that the message itself stays
 * one line (javac prints the source line and caret after it) and the id can be searched for.
 */
public enum Message {
  // GG0xx: the annotated method, its class and its signature.
  NOT_A_METHOD("GG001", "@Differentiable applies to methods only"),
  IN_LOCAL_CLASS("GG002", "@Differentiable methods must be in a top-level or nested class, not a"
      + " local or anonymous one; move it out"),
  PRIVATE_CLASS("GG003", "class %s is private, so the generated class %s cannot use it; make it"
      + " package-private"),
  OVERLOADED("GG004", "another @Differentiable method of %s already generates %s; overloaded"
      + " @Differentiable methods are not supported, rename one"),
  RECORD_NAME_TAKEN("GG005", "another @Differentiable method of %s already generates %s; rename"
      + " one"),
  RETURN_TYPE("GG006", "@Differentiable methods must return double (a scalar loss), not %s; or"
      + " double[] (a vector, whose Jacobian gradgen computes)"),
  NO_BODY("GG007", "@Differentiable methods need a body to differentiate"),
  GENERIC_METHOD("GG008", "generic @Differentiable methods are not supported"),
  VARARGS("GG009", "varargs @Differentiable methods are not supported; take a double[] instead"),
  FORBIDDEN_COMPONENT_NAME("GG010", "a differentiable parameter cannot be named '%s': it would be"
      + " a component of the generated record, and records forbid that name; rename the"
      + " parameter"),
  PARAMETER_NAMED_VALUE("GG011", "a differentiable parameter cannot be named 'value': the"
      + " generated record's first component is the method's value; rename the parameter"),
  TOO_LARGE("GG012", "this method is too large to differentiate in one piece: its gradient would"
      + " exceed the JVM's limit of 64 KB of bytecode per method (estimated %s KB); split it into"
      + " several @Differentiable methods that call each other"),
  INSTANCE_METHOD_NOT_FINAL("GG013", "a @Differentiable instance method must be final (or its"
      + " class final): a subclass overriding it would run in the original but not in the"
      + " generated code, which differentiates this body"),
  INSTANCE_METHOD_OF_GENERIC_CLASS("GG014", "a @Differentiable instance method of a generic class"
      + " is not supported (the generated static methods would need its type parameters); make"
      + " the method static and pass what it reads"),
  GENERATED_NAME_TAKEN("GG015", "gradgen generates %s.%s for @Differentiable method %s, and %s"
      + " already declares a method %s: the two would be confused; rename one of them"),

  // GG09x: the compiler and gradgen itself.
  NO_TREE_API("GG090", "gradgen reads method bodies through javac's tree API, which this compiler"
      + " does not provide (%s); compile with javac (Maven or Gradle with the standard compiler)"),
  NO_METHOD_TREE("GG091", "gradgen cannot see the body of this method"),
  WRITE_FAILED("GG092", "could not write %s: %s (is there already a class of that name?)"),
  UNKNOWN_OPTION(Diagnostic.Kind.WARNING, "GG093", "gradgen has no option -A%s, so it is"
      + " ignored; its options are: %s"),
  OPTION_VALUE(Diagnostic.Kind.WARNING, "GG094", "-A%s takes true or false, not '%s'; it stays"
      + " off"),
  INTERNAL_ERROR("GG099", "gradgen failed on this method with an internal error; please report it"
      + " with the method's source. %s"),

  // GG1xx: parameters.
  BOXED_PARAMETER("GG101", "parameter '%s' has type %s, which gradgen does not differentiate; use"
      + " double (or int for a constant)"),
  PRIVATE_PARAMETER_TYPE("GG102", "parameter '%s' has type %s, but class %s is private, so the"
      + " generated class cannot declare the parameter; make it package-private"),
  NARROW_PARAMETER_ASSIGNED("GG103", "parameter '%s' has type %s, which gradgen reads as a"
      + " constant number but does not assign; copy it into an int local first"),
  FLOAT_PARAMETER_ASSIGNED("GG104", "parameter '%s' has type %s, which gradgen reads as a"
      + " constant number but does not assign (float is not differentiated); copy it into a"
      + " double local first"),
  ARRAY_PARAMETER_REASSIGNED("GG105", "parameter array '%s' cannot be reassigned; declare a local"
      + " array instead"),
  OBJECT_PARAMETER_AS_VALUE("GG106", "parameter '%s' has type %s, which gradgen treats as a"
      + " constant: it can only be passed to a method or compared with == or !=; %s"),

  // GG2xx: statements and jumps.
  LABEL_NOT_ON_LOOP("GG201", "labels are supported on loops only"),
  RETURN_WITHOUT_VALUE("GG202", "return without a value"),
  YIELD_OUTSIDE_SWITCH("GG203", "yield outside a switch expression"),
  TRY("GG204", "try/catch is not supported in a @Differentiable method; move error handling to"
      + " the caller"),
  THROW("GG205", "throw is not supported in a @Differentiable method; validate arguments before"
      + " calling it"),
  SYNCHRONIZED("GG206", "synchronized is not supported in a @Differentiable method"),
  ASSERT("GG207", "assert is not supported in a @Differentiable method; check arguments before"
      + " calling it"),
  LOCAL_CLASS("GG208", "local classes are not supported in a @Differentiable method; move the"
      + " class out"),
  STATEMENT("GG209", "statement '%s' is not supported in a @Differentiable method"),
  JUMP_OUTSIDE_LOOP("GG210", "break/continue outside a loop"),
  NO_SUCH_LABEL("GG211", "no enclosing loop labelled '%s'"),
  FOR_INITIALIZER("GG212", "unsupported for-loop initializer"),
  ENHANCED_FOR_OVER("GG213", "enhanced for needs a double[], double[][], double[][][] or int[]"),
  LOOP_VARIABLE_TYPE("GG214", "loop variable '%s' must have type %s"),
  UNUSED_RESULT("GG215", "the result of this call is unused; calls in a @Differentiable method"
      + " must be pure, so the statement has no effect"),
  EXPRESSION_STATEMENT("GG216", "this expression statement is not supported"),

  // GG3xx: switch.
  SWITCH_ON_TYPE("GG301", "switch on %s is not supported; switch on an int, char, String or"
      + " enum"),
  SWITCH_ON_CALL("GG302", "switch on a call's result is not supported; pass the value as a"
      + " parameter"),
  SWITCH_SELECTOR("GG303", "switch needs an int, char, String or enum selector"),
  CASE_BODY("GG304", "this case body is not supported"),
  SWITCH_VALUES_DIFFER("GG305", "the cases of this switch expression give values of different"
      + " types"),
  SWITCH_VALUE_TYPE("GG306", "a switch expression must give numbers or booleans"),
  PATTERN_LABEL("GG307", "pattern labels are not supported in a @Differentiable method; switch on"
      + " an int, char, String or enum constant"),
  CASE_NULL("GG308", "case null is not supported; test for null before the switch"),
  CASE_NOT_CONSTANT("GG309", "a case label must be a constant int or char"),
  CASE_NOT_ENUM_CONSTANT("GG310", "not a constant of %s"),
  CASE_NOT_STRING_LITERAL("GG311", "a case label of a switch on a String must be a string"
      + " literal"),

  // GG4xx: types, locals, arrays and assignments.
  VAR_IS_FLOAT("GG401", "'var' makes '%s' a float here, which gradgen does not differentiate;"
      + " declare it double"),
  LOCAL_TYPE("GG402", "locals of type %s are not supported"),
  FLOAT_TYPE("GG403", "float is not differentiated by gradgen: float parameters and literals are"
      + " read as constants, but values computed here must be double; use double"),
  NARROW_TYPE("GG404", "%1$s locals and casts are not supported (%1$s parameters and char"
      + " literals are read as int); use int or long"),
  ARRAY_TYPE("GG405", "only double[], double[][], double[][][] and int[] arrays are supported"),
  TYPE("GG406", "type '%s' is not supported; use double, int, long, boolean, double[], double[][],"
      + " double[][][] or int[]"),
  FLOAT_LOCAL("GG407", "this float value would have to be kept in a local, which gradgen computes"
      + " in double; compute it in double (0.3 rather than 0.3f, or (double) f)"),
  ASSIGN_UNKNOWN("GG408", "only parameters and local variables can be assigned; '%s' is not one"),
  ASSIGN_ELEMENT("GG409", "only elements of local arrays can be assigned"),
  ASSIGN_TARGET("GG410", "only local variables and array elements can be assigned"),
  INDEX_IN_LOOP_UPDATE("GG411", "an index that reads array elements cannot be written in a loop"
      + " update; compute the index in a local variable first"),
  OPERAND_REASSIGNED("GG412", "this assigns a variable that an operand to its left still reads,"
      + " and that operand is %s; assign the variable in a statement of its own first"),
  CANNOT_ASSIGN("GG413", "cannot assign a %s to a %s"),
  ARRAY_VARIABLE_VALUE("GG414", "array variables can hold new arrays, other arrays or rows of"
      + " matrices only"),
  NULL_ARRAY("GG415", "null arrays are not supported; give the array its size, or for rows to be"
      + " assigned later create the outer array alone (new double[n][])"),
  ARRAY_INITIALIZER_UNTYPED("GG416", "array initializers need a declared type here; write new"
      + " double[] {...}"),
  ARRAY_SIZE("GG417", "array sizes must be ints"),
  ARRAY_INITIALIZER_TYPE("GG418", "an array initializer needs an array type"),

  // GG5xx: expressions and operators.
  REMAINDER_OF_DOUBLE("GG501", "%% on double values is not supported"),
  STRING_LITERAL("GG502", "string literals are not supported in a @Differentiable method"),
  INDEX_NOT_ARRAY("GG503", "indexing a value that is not an array"),
  INDEX_NOT_INT("GG504", "an array index must be an int"),
  COMPLEMENT("GG505", "~ needs an int or long"),
  CONDITIONAL_TYPES("GG506", "both branches of ?: must have the same type"),
  CAST("GG507", "only casts between double, int and long are supported"),
  NEW_OBJECT("GG508", "creating objects is not supported in a @Differentiable method; only arrays"
      + " (new double[n]) can be created"),
  LAMBDA("GG509", "lambdas are not supported in a @Differentiable method; write a loop or call"
      + " another @Differentiable method"),
  METHOD_REFERENCE("GG510", "method references are not supported in a @Differentiable method;"
      + " call the method directly"),
  INSTANCEOF("GG511", "instanceof is not supported in a @Differentiable method"),
  EXPRESSION("GG512", "expression '%s' is not supported in a @Differentiable method"),
  OPERATOR("GG513", "operator %s is not supported"),
  BOOLEAN_OPERANDS("GG514", "%s needs boolean operands"),
  BITWISE_OPERANDS("GG515", "%s needs two booleans or two integers"),
  SHIFT_OPERANDS("GG516", "shifts need integer operands"),
  CONDITION("GG517", "a condition must be boolean"),
  NOT_A_NUMBER("GG518", "%s must be a number, but it is %s"),
  NOT_A_VECTOR("GG519", "a method returning double[] must return a double[] here, not %s"),
  RESULT_SHARES_STORAGE("GG520", "a method returning double[] must return a new array, but this"
      + " one may be %s; copy it into a new array and return that"),

  // GG6xx: names, fields and constant objects.
  CANNOT_RESOLVE("GG601", "cannot resolve '%s'"),
  CANNOT_RESOLVE_IN("GG602", "cannot resolve '%s' in %s"),
  SELECT("GG603", "'.%s' is not supported; only array.length and static constants can be"
      + " selected"),
  PRIVATE_FIELD("GG604", "private field '%s' is not visible to the generated class; make it"
      + " package-private"),
  FIELD_TYPE("GG605", "field '%s' has type %s, which is not supported; make it a double (or an int"
      + " for a count)"),
  INSTANCE_FIELD_IN_STATIC_METHOD("GG606", "instance field '%s' cannot be used in a static"
      + " @Differentiable method; pass it as a parameter (use @NoGrad for constants), or make the"
      + " method an instance method, which reads its object's fields"),
  STATIC_FIELD_NOT_FINAL("GG607", "static field '%s' is not final; gradgen treats fields as"
      + " constants, so make it static final or pass it as a @NoGrad parameter"),
  FIELD_WRITE("GG608", "fields are constants in a @Differentiable method: writing field '%s' is"
      + " not supported; compute it in a local (and set the field outside, from the value the"
      + " method returns)"),
  FIELD_ARRAY_WRITE("GG609", "'%s' refers to a field's array; fields are constants in a"
      + " @Differentiable method, so writing into it is not supported; copy it into a new local"
      + " array first"),
  OBJECT_AS_VALUE("GG610", "%s has type %s, which is a constant object to gradgen: it can only be"
      + " passed to a method or compared with == or !="),
  UNTYPED_OBJECT_AS_VALUE("GG611", "%s is a constant object to gradgen: it can only be passed to"
      + " a method or compared with == or !="),

  // GG7xx: calls.
  CALL_ON_VALUE("GG701", "calling methods on objects or arrays ('.%s(...)') is not supported in a"
      + " @Differentiable method"),
  CALL("GG702", "unsupported call"),
  CANNOT_RESOLVE_METHOD("GG703", "cannot resolve method '%s'"),
  NO_MATCHING_METHOD("GG704", "no method %s.%s takes these argument types; gradgen computes with"
      + " double, int, long, boolean, double[], double[][] and int[], and passes other objects on"
      + " unchanged"),
  AMBIGUOUS_CALL("GG705", "call of %s is ambiguous; cast the arguments"),
  INSTANCE_METHOD_WITHOUT_DERIVATIVE("GG706", "'%s' is an instance method without"
      + " @Differentiable; only static methods and @Differentiable instance methods can be called"
      + " from a @Differentiable method"),
  INSTANCE_METHOD_WITHOUT_OBJECT("GG707", "'%1$s' is an instance method; a static method can call"
      + " it only on an object (model.%1$s(...))"),
  STATIC_METHOD_ON_OBJECT("GG708", "'%s' is static; call it on its class"),
  PRIVATE_METHOD("GG709", "'%s' is private, so the generated class cannot call it; make it"
      + " package-private"),
  CALLEE_RETURN_TYPE("GG710", "'%s' returns %s, which is not supported"),
  WRITES_INT_ARGUMENT("GG711", "'%s' writes into the int[] passed as '%s' and is not"
      + " @Differentiable; the backward sweep needs the array as it was, so mark it"
      + " @Differentiable (it may return a constant) or do not call it here"),
  WRITES_ARRAY_ARGUMENT("GG712", "'%1$s' writes into the array passed as '%2$s', and gradgen"
      + " differentiates what a call returns, not what it leaves in an array; let '%1$s' work on a"
      + " local copy of its parameter, or return the value instead"),
  CALL_NEEDS_LOCAL("GG713", "'%s' cannot be called here; assign its result to a local variable"
      + " first"),
  CALL_NEEDS_LOCAL_IN("GG714", "'%s' cannot be called in %s; assign its result to a local"
      + " variable first"),
  MATH_NEEDS_NUMBERS("GG720", "%s.%s needs numeric arguments"),
  MATH_RANDOM("GG721", "%s.random() is not supported: a @Differentiable method must give the same"
      + " value each time it runs (the backward sweep recomputes parts of it); draw the random"
      + " numbers outside and pass them in"),
  MATH_WITHOUT_RULE("GG722", "%s.%s has no derivative rule in gradgen; supported: %s. Compute it"
      + " in another @Differentiable method or pass the value as a @NoGrad parameter"),
  MATH_ARITY("GG723", "%s.%s takes %s argument(s) here"),

  // GG8xx: derivatives of calls.
  NO_DERIVATIVE("GG801", "'%1$s.%2$s' has no derivative but is called with values that depend on"
      + " differentiable parameters; annotate it with @Differentiable, declare a custom rule"
      + " for it (@Vjp, or %2$sBackward in its class; see README), or pass only constants"),
  NO_USABLE_DERIVATIVE("GG802", "'%s.%s' is called with values that depend on differentiable"
      + " parameters and has no usable derivative: %s"),
  RULE_CANDIDATE(Diagnostic.Kind.NOTE, "GG803", "this is the method gradgen took for a custom rule"
      + " of %s and could not use"),
  ACTIVE_NO_GRAD_ARGUMENT("GG804", "argument %s of '%s' depends on differentiable parameters, but"
      + " its parameter '%s' is @NoGrad, so that part of the derivative would be lost; remove"
      + " @NoGrad there or pass a constant"),
  ARRAY_ARGUMENT_NOT_LOCAL("GG805", "pass array argument %s of '%s' through a local variable"),
  NO_FORWARD_RULE(Diagnostic.Kind.NOTE, "GG806", "'%s.%s' has a backward rule but no forward"
      + " rule, so %s of %s throw UnsupportedOperationException when called; to give it one, add"
      + " %s"),
  NO_SECOND_ORDER(Diagnostic.Kind.NOTE, "GG807", "second order through '%s' is not available"
      + " yet, so %s of %s throw UnsupportedOperationException when called; its gradient and JVP"
      + " are there. For a Hessian, write the computation without the kernel, as loops, or"
      + " make its forward rule @Differentiable (a rule of your own)"),
  RULE_NOT_PUBLIC("GG808", "%s rule %s must be a public static method of a public class in a"
      + " named package: the generated classes of every package that calls its primal call it"),
  RULE_NO_PRIMAL("GG809", "%s names %s.%s, but %s has no static method of that name; name the"
      + " class declaring the primal and the primal's name"),
  RULE_SIGNATURE("GG810", "%s rule %s does not fit %s: it is %s, and %s; the rule is %s"),
  RULE_OF_DIFFERENTIABLE("GG811", "%s rule %s is for %s, which is @Differentiable: gradgen"
      + " derives it, and the two derivatives could disagree; remove @Differentiable from it to"
      + " use the rule, or delete the rule"),
  RULE_PRIMAL_RETURN("GG812", "%s rule %s is for %s, which returns %s: it has no derivative; a"
      + " rule's primal returns double, double[], double[][] or double[][][]"),
  RULE_DUPLICATE("GG813", "%s rule %s is a second %s rule of %s, beside %s; a primal has at most"
      + " one of each kind: delete one"),
  RULE_FROM_CLASS_PATH("GG814", "the %s rule %s on the class path cannot be used for this"
      + " primal (compiled against another version of it, or a second rule of its kind): %s"),
  NO_BACKWARD_RULE("GG815", "'%s.%s' is called with values that depend on differentiable"
      + " parameters and has a forward rule (%s) but no backward rule; gradgen derives the one"
      + " from the other only for a primal returning double: declare a @Vjp rule too");

  /**
   * The ids of messages that were removed: never give them to another message. (Add an id here
   * when you delete its message.)
   */
  public static final Set<String> RETIRED_IDS = Set.of();

  /** The id as printed: {@code [gradgen:GG123]}. */
  public static final String ID_FORMAT = "[gradgen:%s]";

  private final Diagnostic.Kind kind;
  private final String id;
  private final String template;
  private final int arity;

  Message(String id, String template) {
    this(Diagnostic.Kind.ERROR, id, template);
  }

  Message(Diagnostic.Kind kind, String id, String template) {
    this.kind = kind;
    this.id = id;
    this.template = template;
    this.arity = arity(template);
  }

  /** A format specifier: an optional argument index, then the conversion. */
  private static final class Specifier {
    /** (Not a constant of Message: enum constants are built before its static fields.) */
    static final Pattern PATTERN = Pattern.compile("%(?:(\\d+)\\$)?(.)");
  }

  /** The number of arguments {@code template} takes; fails on a specifier other than ours. */
  static int arity(String template) {
    int next = 0;
    int most = 0;
    Matcher m = Specifier.PATTERN.matcher(template);
    while (m.find()) {
      if (m.group(2).equals("%")) {
        continue;
      }
      if (!m.group(2).equals("s")) {
        throw new IllegalArgumentException("template may use %s, %1$s and %% only: " + template);
      }
      most = Math.max(most, m.group(1) != null ? Integer.parseInt(m.group(1)) : ++next);
    }
    return most;
  }

  public String id() {
    return id;
  }

  public Diagnostic.Kind kind() {
    return kind;
  }

  public String template() {
    return template;
  }

  /** How many arguments {@link #format} takes. */
  public int arity() {
    return arity;
  }

  /** The message text with {@code args}, without the id. */
  public String text(Object... args) {
    if (args.length != arity) {
      throw new IllegalArgumentException(name() + " takes " + arity + " arguments, not "
          + args.length);
    }
    return String.format(Locale.ROOT, template, args);
  }

  /** The text as reported: the message, then the id on a line of its own. */
  public String format(Object... args) {
    String text = text(args);
    return text + (text.endsWith("\n") ? "" : "\n") + String.format(Locale.ROOT, ID_FORMAT, id);
  }
}
