package dev.gradgen.processor.read;

/**
 * Every construct {@link MethodReader} accepts, by name. The reader counts each one as it accepts
 * it ({@link Census}); the differential fuzzer's coverage test fails when a construct listed here
 * (or a parameter kind and use, or a {@code Math} function) never occurs in its programs. A new
 * way of accepting code therefore comes with a new constant here and with programs that use it.
 */
public enum Construct {
  // declarations and assignments
  DECLARATION,
  DECLARATION_WITHOUT_INITIALIZER,
  VAR_DECLARATION,
  SEVERAL_DECLARATORS,
  ARRAY_INITIALIZER_DECLARATION,
  ASSIGNMENT_TO_LOCAL,
  ASSIGNMENT_TO_ELEMENT,
  COMPOUND_ADD,
  COMPOUND_SUBTRACT,
  COMPOUND_MULTIPLY,
  COMPOUND_DIVIDE,
  COMPOUND_REMAINDER,
  /** {@code i++}, {@code i--}, {@code i += 2} on an int or long variable. */
  INTEGER_STEP,
  /** {@code ++}/{@code --} on a double variable or element, or an int computed by an expression. */
  INCREMENT_OF_VALUE,
  // assignments used as values
  /** {@code a = b = 0.0}, {@code if ((y = f(x)) > 1)}. */
  ASSIGNMENT_AS_VALUE,
  /** {@code t = (s += x)}. */
  COMPOUND_ASSIGNMENT_AS_VALUE,
  /** {@code x = ++t[0]}. */
  PREFIX_STEP_AS_VALUE,
  /** {@code s += x[i++]}. */
  POSTFIX_STEP_AS_VALUE,
  /** An operand kept in a local because an assignment to its right changes it: {@code a + (a = 3)}. */
  OPERAND_KEPT_BEFORE_ASSIGNMENT,
  /** An assignment on the right of {@code &&}/{@code ||} or in a branch of {@code ?:}. */
  ASSIGNMENT_UNDER_CONDITION,
  /** {@code while (n-- > 0)}, {@code do ... while (--k != 0)}. */
  ASSIGNMENT_IN_LOOP_CONDITION,
  /** {@code for (...; ...; i = j++)}. */
  ASSIGNMENT_IN_LOOP_UPDATE,
  // control flow
  BLOCK,
  EMPTY_STATEMENT,
  IF,
  IF_ELSE,
  ELSE_IF,
  FOR,
  FOR_WITHOUT_CONDITION,
  FOR_EACH_OVER_VECTOR,
  FOR_EACH_OVER_MATRIX,
  FOR_EACH_OVER_TENSOR,
  FOR_EACH_OVER_INT_VECTOR,
  WHILE,
  DO_WHILE,
  LABELED_LOOP,
  BREAK,
  CONTINUE,
  LABELED_BREAK,
  LABELED_CONTINUE,
  RETURN,
  RETURN_INSIDE_LOOP,
  /** {@code switch} with {@code case 1:} groups. */
  SWITCH_STATEMENT,
  /** {@code case 1, 2 ->} cases, in a statement or an expression. */
  SWITCH_ARROWS,
  /** A group that falls through into the next. */
  SWITCH_FALL_THROUGH,
  /** A break (or yield) that does not end its group. */
  SWITCH_LEFT_EARLY,
  /** {@code break} leaving a switch. */
  BREAK_FROM_SWITCH,
  /** {@code continue} of the loop around a switch, from inside it. */
  CONTINUE_FROM_SWITCH,
  SWITCH_EXPRESSION,
  YIELD,
  SWITCH_ON_STRING,
  SWITCH_ON_ENUM,
  // expressions
  DOUBLE_LITERAL,
  INT_LITERAL,
  LONG_LITERAL,
  BOOLEAN_LITERAL,
  /** {@code 'a'}, read as an int. */
  CHAR_LITERAL,
  /** {@code 0.1f}, a constant kept as written. */
  FLOAT_LITERAL,
  /** A read of a char, short or byte parameter (an int constant). */
  CHAR_SHORT_BYTE_PARAMETER,
  /** A read of a float parameter (a double constant, not differentiated). */
  FLOAT_PARAMETER,
  NULL_LITERAL,
  NEGATION,
  UNARY_PLUS,
  LOGICAL_NOT,
  BITWISE_COMPLEMENT,
  ADDITION,
  SUBTRACTION,
  MULTIPLICATION,
  DIVISION,
  INTEGER_DIVISION,
  INTEGER_REMAINDER,
  SHIFT,
  ORDER_COMPARISON,
  EQUALITY,
  REFERENCE_EQUALITY,
  BITWISE_ON_INTEGERS,
  BITWISE_ON_BOOLEANS,
  CONDITIONAL_AND,
  CONDITIONAL_OR,
  CONDITIONAL_EXPRESSION,
  CAST_TO_DOUBLE,
  CAST_TO_INT,
  CAST_TO_LONG,
  INTEGER_MATH,
  STRICT_MATH,
  VECTOR_ELEMENT,
  MATRIX_ELEMENT,
  MATRIX_ROW,
  TENSOR_ELEMENT,
  TENSOR_ROW,
  TENSOR_PLANE,
  INT_VECTOR_ELEMENT,
  LENGTH,
  NEW_VECTOR,
  NEW_MATRIX,
  NEW_TENSOR,
  NEW_INT_VECTOR,
  VECTOR_LITERAL,
  MATRIX_LITERAL,
  TENSOR_LITERAL,
  /** {@code new double[n][]}: rows assigned whole later. */
  NEW_ARRAY_OF_ROWS,
  /** {@code m[i] = row}: the row shares storage with what it is given. */
  ROW_ASSIGNMENT,
  /** {@code new double[][] {x, m[1]}}: rows that are existing arrays. */
  ROW_INITIALIZER_FROM_ARRAY,
  /** {@code c ? x : y} between arrays: a local holds the one chosen. */
  ARRAY_CONDITIONAL,
  INT_VECTOR_LITERAL,
  STATIC_CONSTANT,
  INLINED_PRIVATE_CONSTANT,
  STATIC_IMPORT,
  CONSTANT_OBJECT,
  CALL_OF_DIFFERENTIABLE_METHOD,
  CALL_WITH_CUSTOM_RULE,
  /** A call of a method with a rule declared by annotation ({@code @Vjp}, {@code @Jvp}). */
  CALL_WITH_DECLARED_RULE,
  /** A call whose backward or forward rule gradgen writes from the other one. */
  CALL_WITH_DERIVED_RULE,
  CALL_WITHOUT_DERIVATIVE,
  /** {@code StopGradient.of(x)}: a value treated as a constant. */
  STOP_GRADIENT,
  /** A {@code @Differentiable} instance method. */
  INSTANCE_METHOD,
  /** A field of the receiver, read as a constant ({@code w}, {@code this.w}). */
  FIELD_READ,
  /** A {@code @Differentiable} instance method called on this object ({@code f(x)}, {@code this.f(x)}). */
  CALL_ON_THIS,
  /** A {@code @Differentiable} instance method called on another object ({@code model.f(x)}). */
  CALL_ON_OTHER_OBJECT,
  /** A method that calls itself. */
  RECURSION,
  /** {@code x[i] = ...} on a {@code double[]} or {@code double[][]} parameter (likewise). */
  WRITE_INTO_ARRAY_PARAMETER,
  /** {@code r[i] = ...} on an {@code int[]} parameter (the generated methods work on a copy). */
  WRITE_INTO_INT_PARAMETER,
  /** {@code System.out.println(...)} and its kin. */
  PRINT,
}
