package dev.gradgen.processor.emit;

import static dev.gradgen.processor.emit.GradClassWriter.GRADIENTS;
import static dev.gradgen.processor.emit.GradClassWriter.TAPE;
import static dev.gradgen.processor.emit.GradClassWriter.capitalize;
import static dev.gradgen.processor.emit.GradClassWriter.typeName;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.gradgen.processor.ir.DiffMethod;
import dev.gradgen.processor.ir.Names;
import dev.gradgen.processor.ir.Type;
import dev.gradgen.processor.ir.Var;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;

/**
 * The generated API of a vector method {@code double[] f(...)}: its Jacobian ({@code f}, in a
 * record or a reusable buffer), its Jacobian-vector product ({@code fJvp}, forward mode), its
 * vector-Jacobian product ({@code fVjp}, reverse mode), and the building blocks other generated
 * code calls. The Jacobian's first index is always the output: rows are outputs.
 */
final class VectorMethods {
  private final ClassName gradClass;
  private final TypeElement owner;
  private final GradClassWriter.Differentiated d;
  private final DiffMethod m;
  private final String name;
  private final String signature;
  private final List<ParameterSpec> params = new ArrayList<>();
  private final List<ParameterSpec> withTangents = new ArrayList<>();
  private final List<Var> diff;
  private final List<Boolean> flags;
  private final Set<String> taken = new HashSet<>();

  VectorMethods(ClassName gradClass, TypeElement owner, GradClassWriter.Differentiated d) {
    this.gradClass = gradClass;
    this.owner = owner;
    this.d = d;
    this.m = d.method();
    this.name = m.name();
    this.signature = owner.getSimpleName() + "." + name;
    if (!d.element().getModifiers().contains(Modifier.STATIC)) {
      String self = m.parameters().get(0).name();
      params.add(ParameterSpec.builder(TypeName.get(owner.asType()), self).build());
    }
    for (VariableElement p : d.element().getParameters()) {
      params.add(ParameterSpec.builder(TypeName.get(p.asType()), p.getSimpleName().toString())
          .build());
    }
    withTangents.addAll(params);
    for (Var t : d.forward().tangents()) {
      withTangents.add(ParameterSpec.builder(typeName(t.type()), t.name()).build());
    }
    withTangents.forEach(p -> taken.add(p.name()));
    diff = m.parameters().stream().filter(Var::isDifferentiableParameter).toList();
    flags = m.parameters().stream().map(Var::isDifferentiableParameter).toList();
  }

  /** The Jacobian block of a parameter of type {@code t}: one more index, the output, first. */
  private static TypeName jacobianType(Type t) {
    return ArrayTypeName.of(typeName(t));
  }

  private CodeBlock args(List<ParameterSpec> ps) {
    return CodeBlock.join(ps.stream().map(p -> CodeBlock.of("$N", p.name())).toList(), ", ");
  }

  private CodeBlock paramDocs() {
    return GradClassWriter.paramDocs(d, owner, params);
  }

  private CodeBlock directionDocs() {
    CodeBlock.Builder docs = CodeBlock.builder();
    List<Var> tangents = d.forward().tangents();
    for (int k = 0; k < tangents.size(); k++) {
      docs.add("@param $L the direction's component for {@code $L}, of its shape$L\n",
          tangents.get(k).name(), diff.get(k).name(),
          tangents.get(k).type().isArray() ? " (null: zero)" : "");
    }
    return docs.build();
  }

  void addTo(TypeSpec.Builder type) {
    String pullbackName = Names.pullback(name, flags);
    String tangentName = Names.tangent(name, flags);
    addRecords(type);
    addBuffer(type);
    addJacobian(type, pullbackName, tangentName);
    addJvp(type, tangentName);
    addVjp(type, pullbackName);
    addPullback(type, pullbackName);
    addSecondOrderBlock(type, tangentName);
  }

  private ClassName jacobianRecord() {
    return gradClass.nestedClass(capitalize(name) + "Jacobian");
  }

  private ClassName bufferClass() {
    return gradClass.nestedClass(capitalize(name) + "JacobianBuffer");
  }

  private ClassName jvpRecord() {
    return gradClass.nestedClass(capitalize(name) + "Jvp");
  }

  private ClassName vjpRecord() {
    return gradClass.nestedClass(capitalize(name) + "Vjp");
  }

  /** A component of a record: its name, type and rank (0 for a double). */
  private record Component(String name, TypeName type, int rank, String doc) {}

  private void addRecords(TypeSpec.Builder type) {
    List<Component> jac = new ArrayList<>();
    jac.add(new Component("value", ArrayTypeName.of(TypeName.DOUBLE), 1,
        "the value of {@code " + signature + "}"));
    List<Component> vjp = new ArrayList<>(jac);
    for (Var v : diff) {
      jac.add(new Component(v.name(), jacobianType(v.type()), v.type().rank() + 1,
          "the Jacobian with respect to {@code " + v.name() + "}: entry {@code [i]} is the"
              + " derivative of output {@code i}, shaped like {@code " + v.name() + "}"));
      vjp.add(new Component(v.name(), typeName(v.type()), v.type().rank(),
          "the cotangent times the Jacobian with respect to {@code " + v.name() + "}, shaped"
              + " like it"));
    }
    type.addType(record(jacobianRecord(), "The value of {@code " + signature + "} and its"
        + " Jacobian with respect to each\ndifferentiable parameter (same name): the first index"
        + " is the output, so the rows\nof the Jacobian are the outputs.", jac));
    type.addType(record(jvpRecord(), "The value of {@code " + signature + "} and its"
        + " Jacobian times a direction,\ncomputed by forward mode in one pass.", List.of(jac.get(0),
        new Component("tangent", ArrayTypeName.of(TypeName.DOUBLE), 1,
            "the Jacobian times the direction, one entry per output"))));
    type.addType(record(vjpRecord(), "The value of {@code " + signature + "} and a cotangent"
        + " times its Jacobian,\ncomputed by reverse mode in one pass.", vjp));
  }

  private TypeSpec record(ClassName record, String doc, List<Component> components) {
    TypeSpec.Builder rec = TypeSpec.recordBuilder(record.simpleName())
        .addModifiers(Modifier.PUBLIC)
        .addJavadoc(doc + "\n\n<p>{@code equals}, {@code hashCode} and {@code toString} use the"
            + "\ncontents of the arrays, not their identities.\n\n");
    MethodSpec.Builder ctor = MethodSpec.constructorBuilder();
    for (Component c : components) {
      ctor.addParameter(c.type(), c.name());
      rec.addJavadoc("@param $L $L\n", c.name(), c.doc());
    }
    rec.recordConstructor(ctor.build());
    Names names = new Names(Set.of());
    components.forEach(c -> names.reserve(c.name()));
    String other = names.fresh("other");
    String that = names.fresh("that");
    String hash = names.fresh("hash");
    ClassName arrays = ClassName.get("java.util", "Arrays");
    List<CodeBlock> same = new ArrayList<>();
    CodeBlock.Builder hc = CodeBlock.builder().addStatement("int $N = 1", hash);
    List<CodeBlock> text = new ArrayList<>();
    for (Component c : components) {
      String prefix = (text.isEmpty() ? record.simpleName() + "[" : ", ") + c.name() + "=";
      if (c.rank() == 0) {
        same.add(CodeBlock.of("$T.compare(this.$N, $N.$N) == 0", Double.class, c.name(), that,
            c.name()));
        hc.addStatement("$N = 31 * $N + $T.hashCode(this.$N)", hash, hash, Double.class,
            c.name());
        text.add(CodeBlock.of("$S + this.$N", prefix, c.name()));
      } else if (c.rank() == 1) {
        same.add(CodeBlock.of("$T.equals(this.$N, $N.$N)", arrays, c.name(), that, c.name()));
        hc.addStatement("$N = 31 * $N + $T.hashCode(this.$N)", hash, hash, arrays, c.name());
        text.add(CodeBlock.of("$S + $T.toString(this.$N)", prefix, arrays, c.name()));
      } else {
        same.add(CodeBlock.of("$T.deepEquals(this.$N, $N.$N)", arrays, c.name(), that,
            c.name()));
        hc.addStatement("$N = 31 * $N + $T.deepHashCode(this.$N)", hash, hash, arrays,
            c.name());
        text.add(CodeBlock.of("$S + $T.deepToString(this.$N)", prefix, arrays, c.name()));
      }
    }
    text.add(CodeBlock.of("$S", "]"));
    rec.addMethod(MethodSpec.methodBuilder("equals")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .addJavadoc("Equal when {@code $N} is a {@code $L} whose components have equal"
            + "\ncontents.\n\n@param $N the object to compare with\n"
            + "@return whether the two are equal\n", other, record.simpleName(), other)
        .returns(boolean.class)
        .addParameter(Object.class, other)
        .addCode(CodeBlock.builder()
            .beginControlFlow("if (this == $N)", other).addStatement("return true")
            .endControlFlow()
            .beginControlFlow("if (!($N instanceof $T $N))", other, record, that)
            .addStatement("return false").endControlFlow()
            .addStatement("return $L", CodeBlock.join(same, "\n&& ")).build())
        .build());
    rec.addMethod(MethodSpec.methodBuilder("hashCode")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .addJavadoc("A hash of the components' contents.\n\n@return the hash code\n")
        .returns(int.class)
        .addCode(hc.addStatement("return $N", hash).build())
        .build());
    rec.addMethod(MethodSpec.methodBuilder("toString")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .addJavadoc("The components, arrays with their elements.\n\n"
            + "@return the components as {@code $L[value=..., ...]}\n", record.simpleName())
        .returns(String.class)
        .addStatement("return $L", CodeBlock.join(text, "\n+ "))
        .build());
    return rec.build();
  }

  /** Field names of the buffer's working storage, clear of the parameters', by role and name. */
  private final Map<String, String> scratch = new LinkedHashMap<>();
  private String outputsField;

  /** The buffer's field holding the number of outputs: {@code outputs} unless a parameter is. */
  private String outputs() {
    if (outputsField == null) {
      outputsField = new Names(taken).fresh("outputs");
    }
    return outputsField;
  }

  private String scratch(String base) {
    return scratch.computeIfAbsent(base, b -> {
      Names n = new Names(taken);
      scratch.values().forEach(n::reserve);
      n.reserve(outputs());
      String role = b.substring(0, b.indexOf(':'));
      String of = b.substring(b.indexOf(':') + 1);
      return n.fresh(of.isEmpty() ? role : role + capitalize(of));
    });
  }

  private void addBuffer(TypeSpec.Builder type) {
    ClassName buffer = bufferClass();
    TypeSpec.Builder buf = TypeSpec.classBuilder(buffer.simpleName())
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("Reusable storage for the Jacobian of {@code $L}, for optimizer loops: the"
            + "\nbuffer form of {@code $L(...)} overwrites these fields on every call and, once"
            + "\nwarmed up, allocates only the value. Not thread-safe: use one buffer per thread."
            + "\nEach field is read as in the record: entry {@code [i]} is output {@code i}'s"
            + "\nderivative.\n", signature, name);
    String outputs = outputs();
    buf.addField(FieldSpec.builder(int.class, outputs, Modifier.PUBLIC, Modifier.FINAL)
        .addJavadoc("The number of outputs the buffer holds the Jacobian of.\n").build());
    MethodSpec.Builder ctor = MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
        .addJavadoc("Sizes the Jacobian for {@code $L} outputs and parameters shaped like the"
            + "\ngiven arguments (only their shapes are read).\n\n"
            + "@param $L the length of the vectors {@code $L} returns\n", outputs, outputs,
            signature)
        .addParameter(int.class, outputs)
        .addStatement("this.$N = $N", outputs, outputs);
    for (Var v : diff) {
      buf.addField(FieldSpec.builder(jacobianType(v.type()), v.name(), Modifier.PUBLIC,
          Modifier.FINAL).addJavadoc("The Jacobian with respect to {@code $L}.\n", v.name())
          .build());
      if (v.type().isArray()) {
        ctor.addParameter(typeName(v.type()), v.name());
        ctor.addJavadoc("@param $L an array shaped like the argument {@code $L}\n", v.name(),
            v.name());
        ctor.addStatement("this.$N = $T.jacobianOf($N, $N)", v.name(), GRADIENTS, outputs,
            v.name());
        buf.addField(FieldSpec.builder(typeName(v.type()), scratch("adjoint:" + v.name()),
            Modifier.FINAL).build());
        buf.addField(FieldSpec.builder(typeName(v.type()), scratch("direction:" + v.name()),
            Modifier.FINAL).build());
        ctor.addStatement("this.$N = $T.zerosLike($N)", scratch("adjoint:" + v.name()),
            GRADIENTS, v.name());
        ctor.addStatement("this.$N = $T.zerosLike($N)",
            scratch("direction:" + v.name()), GRADIENTS, v.name());
      } else {
        ctor.addStatement("this.$N = new double[$N]", v.name(), outputs);
      }
    }
    String seed = scratch("seed:");
    String tape = scratch("tape:");
    buf.addField(FieldSpec.builder(double[].class, seed, Modifier.FINAL).build());
    ctor.addStatement("this.$N = new double[$N]", seed, outputs);
    buf.addField(FieldSpec.builder(TAPE, tape, Modifier.FINAL)
        .initializer("new $T()", TAPE).build());
    buf.addMethod(ctor.build());
    type.addType(buf.build());
  }

  /** The method's value as written (through the JVP when the method writes into arrays). */
  private CodeBlock value() {
    if (d.forward().writes()) {
      List<CodeBlock> a = new ArrayList<>();
      params.forEach(p -> a.add(CodeBlock.of("$N", p.name())));
      for (Var t : d.forward().tangents()) {
        a.add(t.type().isArray() ? CodeBlock.of("null") : CodeBlock.of("0.0"));
      }
      return CodeBlock.of("$N($L).value()", GradClassWriter.jvpName(name),
          CodeBlock.join(a, ", "));
    }
    boolean instance = !d.element().getModifiers().contains(Modifier.STATIC);
    List<CodeBlock> a = new ArrayList<>();
    for (int i = instance ? 1 : 0; i < params.size(); i++) {
      a.add(CodeBlock.of("$N", params.get(i).name()));
    }
    return instance
        ? CodeBlock.of("$N.$N($L)", params.get(0).name(), name, CodeBlock.join(a, ", "))
        : CodeBlock.of("$T.$N($L)", ClassName.get(owner), name, CodeBlock.join(a, ", "));
  }

  private void addJacobian(TypeSpec.Builder type, String pullbackName, String tangentName) {
    Names n = new Names(taken);
    String value = n.fresh("value");
    String jac = n.fresh("jacobian");
    String fill = name + "JacobianInto";
    // The allocating form.
    CodeBlock.Builder alloc = CodeBlock.builder()
        .addStatement("double[] $N = $L", value, value());
    List<CodeBlock> shapes = new ArrayList<>();
    shapes.add(CodeBlock.of("$N.length", value));
    for (Var v : diff) {
      if (v.type().isArray()) {
        shapes.add(CodeBlock.of("$N", v.name()));
      }
    }
    alloc.addStatement("$T $N = new $T($L)", bufferClass(), jac, bufferClass(),
        CodeBlock.join(shapes, ", "));
    alloc.addStatement("$N($L, $N, $N)", fill, args(params), value, jac);
    List<CodeBlock> components = new ArrayList<>();
    components.add(CodeBlock.of("$N", value));
    for (Var v : diff) {
      components.add(CodeBlock.of("$N.$N", jac, v.name()));
    }
    alloc.addStatement("return new $T($L)", jacobianRecord(), CodeBlock.join(components, ", "));
    type.addMethod(MethodSpec.methodBuilder(name)
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .addJavadoc("The value of {@code $L} and its Jacobian, in freshly allocated arrays: one"
            + "\nreverse pass per output when there are no more outputs than inputs, else one"
            + "\nforward pass per input. The arguments are not modified.\n\n", signature)
        .addJavadoc(paramDocs())
        .addJavadoc("@return the value and the Jacobian with respect to each differentiable"
            + " parameter\n")
        .returns(jacobianRecord())
        .addParameters(params)
        .addCode(alloc.build())
        .build());
    // The buffer form.
    type.addMethod(MethodSpec.methodBuilder(name)
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .addJavadoc("Computes {@code $L} and writes its Jacobian into {@code $L}, overwriting"
            + "\nwhat was there. Returns the value. The arguments are not modified.\n\n",
            signature, jac)
        .addJavadoc(paramDocs())
        .addJavadoc("@param $L the buffer the Jacobian is written into, made for as many"
            + " outputs as\n    the method returns\n", jac)
        .addJavadoc("@return the value of {@code $L}\n", signature)
        .addJavadoc("@throws IllegalArgumentException if the method returns another number of"
            + " values\n    than the buffer was made for\n")
        .returns(double[].class)
        .addParameters(params)
        .addParameter(bufferClass(), jac)
        .addComment("The reverse passes give the value; otherwise the fill computes it.")
        .addStatement("return $N($L, null, $N)", fill, args(params), jac)
        .build());
    // The fill: reverse or forward passes.
    CodeBlock.Builder b = CodeBlock.builder();
    Names fn = new Names(taken);
    fn.reserve(value);
    fn.reserve(jac);
    String mOut = fn.fresh("m");
    String nIn = fn.fresh("n");
    String i = fn.fresh("i");
    String j = fn.fresh("j");
    String t = fn.fresh("tangent");
    Map<Var, String> offsets = new LinkedHashMap<>();
    b.addStatement("int $N = $N.$N", mOut, jac, outputs());
    b.addStatement("int $N = 0", nIn);
    for (Var v : diff) {
      offsets.put(v, fn.fresh("at" + capitalize(v.name())));
      b.addStatement("int $N = $N", offsets.get(v), nIn);
      b.addStatement("$N += $L", nIn, v.type().isArray()
          ? CodeBlock.of("$T.size($N)", GRADIENTS, v.name()) : CodeBlock.of("1"));
    }
    boolean forwardPasses = d.forward().jvpAvailable();
    b.beginControlFlow("if ($N == null && ($N == 0$L))", value, mOut,
        forwardPasses ? CodeBlock.of(" || $N > $N", mOut, nIn) : CodeBlock.of(""))
        .add("// No reverse pass will run to give the value: compute it.\n")
        .addStatement("$N = $L", value, value())
        .addStatement("$T.requireOutputs($S, $N, $N)", GRADIENTS, signature, mOut, value)
        .endControlFlow();
    String tape = scratch("tape:");
    String seed = scratch("seed:");
    String returned = fn.fresh("returned");
    String failure = fn.fresh("e");
    CodeBlock.Builder rev = CodeBlock.builder();
    rev.beginControlFlow("for (int $N = 0; $N < $N; $N++)", i, i, mOut, i);
    rev.addStatement("$N.$N[$N] = 1.0", jac, seed, i);
    for (Var v : diff) {
      if (v.type().isArray()) {
        rev.addStatement("$T.clear($N.$N)", GRADIENTS, jac, scratch("adjoint:" + v.name()));
      }
    }
    rev.addStatement("$N.$N.clear()", jac, tape);
    List<CodeBlock> pa = new ArrayList<>();
    params.forEach(p -> pa.add(CodeBlock.of("$N", p.name())));
    pa.add(CodeBlock.of("$N.$N", jac, seed));
    for (Var v : d.result().arrayAdjointParameters().keySet()) {
      pa.add(CodeBlock.of("$N.$N", jac, scratch("adjoint:" + v.name())));
    }
    pa.add(CodeBlock.of("$N.$N", jac, tape));
    String wrong = fn.fresh("wrong");
    rev.addStatement("double[] $N", returned);
    rev.beginControlFlow("try")
        .addStatement("$N = $N($L)", returned, pullbackName, CodeBlock.join(pa, ", "))
        .nextControlFlow("catch ($T $N)", IllegalArgumentException.class, failure)
        .add("// A seed of another length than the value fails the pullback's check: if the\n"
            + "// buffer was made for another number of outputs, say so.\n")
        .beginControlFlow("if ($N == null)", value)
        .beginControlFlow("try")
        .addStatement("$T.requireOutputs($S, $N, $L)", GRADIENTS, signature, mOut, value())
        .nextControlFlow("catch ($T $N)", IllegalArgumentException.class, wrong)
        .addStatement("$N.addSuppressed($N)", wrong, failure)
        .addStatement("throw $N", wrong)
        .endControlFlow()
        .endControlFlow()
        .addStatement("throw $N", failure)
        .endControlFlow();
    rev.beginControlFlow("if ($N == null)", value)
        .add("// The first pass's value is the method's (a value that does not depend on the\n"
            + "// inputs is not checked against the seed, so its length is checked here).\n")
        .addStatement("$T.requireOutputs($S, $N, $N)", GRADIENTS, signature, mOut, returned)
        .addStatement("$N = $N", value, returned)
        .endControlFlow();
    for (int k = diff.size() - 1; k >= 0; k--) {
      Var v = diff.get(k);
      if (v.type() == Type.DOUBLE) {
        rev.addStatement("$N.$N[$N] = $N.$N.popDouble()", jac, v.name(), i, jac, tape);
      }
    }
    for (Var v : diff) {
      if (v.type().isArray()) {
        rev.addStatement("$T.copy($N.$N, $N.$N[$N])", GRADIENTS, jac,
            scratch("adjoint:" + v.name()), jac, v.name(), i);
      }
    }
    rev.addStatement("$N.$N[$N] = 0.0", jac, seed, i);
    rev.endControlFlow();
    CodeBlock.Builder fwd = CodeBlock.builder();
    fwd.add("// More outputs than inputs: column $N of the Jacobian is the JVP along the unit\n"
        + "// vector $N, one forward pass each.\n", j, j);
    List<Var> tangents = d.forward().tangents();
    Map<Var, String> scalarDirections = new LinkedHashMap<>();
    for (Var v : diff) {
      if (!v.type().isArray()) {
        scalarDirections.put(v, fn.fresh("direction" + capitalize(v.name())));
      }
    }
    fwd.beginControlFlow("for (int $N = 0; $N < $N; $N++)", j, j, nIn, j);
    List<CodeBlock> ta = new ArrayList<>();
    params.forEach(p -> ta.add(CodeBlock.of("$N", p.name())));
    for (Var v : diff) {
      if (v.type().isArray()) {
        fwd.addStatement("$T.setEntry($N.$N, $N - $N, 1.0)", GRADIENTS, jac,
            scratch("direction:" + v.name()), j, offsets.get(v));
        ta.add(CodeBlock.of("$N.$N", jac, scratch("direction:" + v.name())));
      } else {
        fwd.addStatement("double $N = $N == $N ? 1.0 : 0.0", scalarDirections.get(v), j,
            offsets.get(v));
        ta.add(CodeBlock.of("$N", scalarDirections.get(v)));
      }
    }
    fwd.addStatement("double[] $N = $N($L)", t, tangentName, CodeBlock.join(ta, ", "));
    fwd.beginControlFlow("for (int $N = 0; $N < $N; $N++)", i, i, mOut, i);
    for (Var v : diff) {
      if (v.type().isArray()) {
        fwd.addStatement("$T.setEntry($N.$N[$N], $N - $N, $N[$N])", GRADIENTS, jac, v.name(), i, j,
            offsets.get(v), t, i);
      } else {
        fwd.beginControlFlow("if ($N == $N)", j, offsets.get(v));
        fwd.addStatement("$N.$N[$N] = $N[$N]", jac, v.name(), i, t, i);
        fwd.endControlFlow();
      }
    }
    fwd.endControlFlow();
    for (Var v : diff) {
      if (v.type().isArray()) {
        fwd.addStatement("$T.setEntry($N.$N, $N - $N, 0.0)", GRADIENTS, jac,
            scratch("direction:" + v.name()), j, offsets.get(v));
      }
    }
    fwd.endControlFlow();
    if (forwardPasses) {
      b.beginControlFlow("if ($N <= $N)", mOut, nIn)
          .add("// No more outputs than inputs: row $N of the Jacobian is the gradient of output"
              + " $N,\n// one reverse pass each.\n", i, i)
          .add(rev.build()).nextControlFlow("else")
          .add(fwd.build()).endControlFlow();
    } else {
      b.add("// Forward mode is not available here (see the JVP): row $N of the Jacobian is the\n"
          + "// gradient of output $N, one reverse pass each, whatever the shape.\n", i, i)
          .add(rev.build());
    }
    if (tangents.size() != diff.size()) {
      throw new IllegalStateException("one tangent per differentiable parameter");
    }
    b.addStatement("return $N", value);
    type.addMethod(MethodSpec.methodBuilder(fill)
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("Writes the Jacobian into {@code $L} and returns the value: {@code $L} if it is"
            + "\ngiven, else the first reverse pass's, else computed here.\n", jac, value)
        .returns(double[].class)
        .addParameters(params)
        .addParameter(double[].class, value)
        .addParameter(bufferClass(), jac)
        .addCode(b.build())
        .build());
  }

  private void addJvp(TypeSpec.Builder type, String tangentName) {
    ForwardBody f = d.forward();
    type.addMethod(MethodSpec.methodBuilder(GradClassWriter.jvpName(name))
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .addJavadoc("The value of {@code $L} and its Jacobian times the direction given by the"
            + "\ntangent arguments, one per differentiable parameter, by forward mode: one pass,"
            + "\nno tape, no Jacobian. The arguments are not modified.\n\n", signature)
        .addJavadoc(paramDocs())
        .addJavadoc(directionDocs())
        .addJavadoc("@return the value and the Jacobian-vector product\n")
        .returns(jvpRecord())
        .addParameters(withTangents)
        .addCode(f.jvpBody())
        .build());
    type.addMethod(MethodSpec.methodBuilder(tangentName)
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .addJavadoc("Forward-mode building block of {@code $L}: its Jacobian times the direction"
            + "\ngiven by the tangent arguments (not null). Generated callers use it for calls"
            + "\nbetween differentiable methods; the suffix is the pullback's.\n\n", signature)
        .addJavadoc(paramDocs())
        .addJavadoc(directionDocs())
        .addJavadoc("@return the Jacobian-vector product\n")
        .returns(double[].class)
        .addParameters(withTangents)
        .addStatement("return $N($L).tangent()", GradClassWriter.jvpName(name),
            args(withTangents))
        .build());
  }

  private void addVjp(TypeSpec.Builder type, String pullbackName) {
    Names n = new Names(taken);
    String cotangent = n.fresh("cotangent");
    String tape = n.fresh("tape");
    String value = n.fresh("value");
    Map<Var, String> blocks = new LinkedHashMap<>();
    for (Var v : diff) {
      blocks.put(v, n.fresh("d" + capitalize(v.name())));
    }
    CodeBlock.Builder b = CodeBlock.builder();
    b.addStatement("$T $N = $T.borrow()", TAPE, tape, TAPE).beginControlFlow("try");
    List<CodeBlock> pa = new ArrayList<>();
    params.forEach(p -> pa.add(CodeBlock.of("$N", p.name())));
    pa.add(CodeBlock.of("$N", cotangent));
    for (Var v : d.result().arrayAdjointParameters().keySet()) {
      b.addStatement("$T $N = $T.zerosLike($N)", typeName(v.type()), blocks.get(v), GRADIENTS,
          v.name());
      pa.add(CodeBlock.of("$N", blocks.get(v)));
    }
    pa.add(CodeBlock.of("$N", tape));
    b.addStatement("double[] $N = $N($L)", value, pullbackName, CodeBlock.join(pa, ", "));
    for (int k = diff.size() - 1; k >= 0; k--) {
      Var v = diff.get(k);
      if (v.type() == Type.DOUBLE) {
        b.addStatement("double $N = $N.popDouble()", blocks.get(v), tape);
      }
    }
    List<CodeBlock> components = new ArrayList<>();
    components.add(CodeBlock.of("$N", value));
    for (Var v : diff) {
      components.add(CodeBlock.of("$N", blocks.get(v)));
    }
    b.addStatement("return new $T($L)", vjpRecord(), CodeBlock.join(components, ", "))
        .nextControlFlow("finally")
        .addStatement("$T.release($N)", TAPE, tape)
        .endControlFlow();
    type.addMethod(MethodSpec.methodBuilder(GradClassWriter.vjpName(name))
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .addJavadoc("The value of {@code $L} and the cotangent times its Jacobian, by reverse"
            + "\nmode: one pass, no Jacobian. The arguments are not modified.\n\n", signature)
        .addJavadoc(paramDocs())
        .addJavadoc("@param $L one weight per output (not modified)\n", cotangent)
        .addJavadoc("@return the value and the vector-Jacobian product, by parameter\n")
        .addJavadoc("@throws IllegalArgumentException if the cotangent's length is not the"
            + " number of\n    outputs\n")
        .returns(vjpRecord())
        .addParameters(params)
        .addParameter(double[].class, cotangent)
        .addCode(b.build())
        .build());
  }

  private void addPullback(TypeSpec.Builder type, String pullbackName) {
    PullbackBody r = d.result();
    MethodSpec.Builder pullback = MethodSpec.methodBuilder(pullbackName)
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .addJavadoc("Reverse-mode building block of {@code $L}: returns its value and adds the"
            + "\ncotangent {@code $L} times its Jacobian into the array adjoints (null means"
            + "\n\"not needed\"); the scalar parameters' adjoints are pushed on {@code $L} in"
            + "\nparameter order. Generated callers use it for calls between differentiable"
            + "\nmethods; the suffix says which parameters are differentiable.\n\n", signature,
            r.dValue(), r.tape())
        .addJavadoc(paramDocs())
        .addJavadoc("@param $L the cotangent, one entry per output\n", r.dValue())
        .returns(double[].class)
        .addParameters(params)
        .addParameter(double[].class, r.dValue());
    for (var e : r.arrayAdjointParameters().entrySet()) {
      pullback.addParameter(typeName(e.getKey().type()), e.getValue());
      pullback.addJavadoc("@param $L where the adjoint of {@code $L} is added, or null\n",
          e.getValue(), e.getKey().name());
    }
    pullback.addParameter(TAPE, r.tape())
        .addJavadoc("@param $L the tape the scalar adjoints are pushed on\n", r.tape())
        .addJavadoc("@return the value of {@code $L}\n", signature)
        .addCode(r.body());
    type.addMethod(pullback.build());
  }

  /** The tangent function's pullback, for the second order of scalar methods calling this one. */
  private void addSecondOrderBlock(TypeSpec.Builder type, String tangentName) {
    ForwardBody f = d.forward();
    String pullbackName = Names.pullback(tangentName, f.tangentFlags());
    MethodSpec.Builder pullback = MethodSpec.methodBuilder(pullbackName)
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .addJavadoc("Second-order building block of {@code $L}: reverse mode over its tangent"
            + "\nfunction. Generated callers use it for calls between differentiable methods.\n\n",
            signature)
        .addJavadoc(paramDocs())
        .addJavadoc(directionDocs())
        .returns(double[].class)
        .addParameters(withTangents);
    if (f.secondOrder() != null) {
      PullbackBody r = f.secondOrder();
      pullback.addParameter(double[].class, r.dValue())
          .addJavadoc("@param $L the cotangent of the tangent\n", r.dValue());
      for (var e : r.arrayAdjointParameters().entrySet()) {
        pullback.addParameter(typeName(e.getKey().type()), e.getValue());
        pullback.addJavadoc("@param $L where the adjoint of {@code $L} is added, or null\n",
            e.getValue(), e.getKey().name());
      }
      pullback.addParameter(TAPE, r.tape())
          .addJavadoc("@param $L the tape the scalar adjoints are pushed on\n", r.tape())
          .addJavadoc("@return the Jacobian-vector product\n")
          .addCode(r.body());
    } else {
      Names n = new Names(taken);
      String dValue = n.fresh("dValue");
      pullback.addParameter(double[].class, dValue)
          .addJavadoc("@param $L the cotangent of the tangent\n", dValue);
      List<Var> all = new ArrayList<>(m.parameters());
      all.addAll(f.tangents());
      for (int k = 0; k < all.size(); k++) {
        Var v = all.get(k);
        if (f.tangentFlags().get(k) && v.type().isArray()) {
          String a = n.fresh(Names.adjointBase(v.name()));
          pullback.addParameter(typeName(v.type()), a)
              .addJavadoc("@param $L where the adjoint of {@code $L} would be added\n", a,
                  v.name());
        }
      }
      String tape = n.fresh("tape");
      pullback.addParameter(TAPE, tape)
          .addJavadoc("@param $L the tape the scalar adjoints would be pushed on\n", tape)
          .addJavadoc("@return never: it throws\n")
          .addJavadoc("@throws UnsupportedOperationException always: $L\n", f.unsupported())
          .addStatement("throw new $T($S)", UnsupportedOperationException.class,
              f.unsupported());
    }
    type.addMethod(pullback.build());
  }
}
