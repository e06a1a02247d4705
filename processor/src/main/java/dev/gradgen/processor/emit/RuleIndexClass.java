package dev.gradgen.processor.emit;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.gradgen.processor.read.RuleIndex;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;

/**
 * The index class of the custom rules named {@code method} in class {@code owner}: compilations
 * that have the jar on their class path list package {@value RuleIndex#PACKAGE} to find the
 * rules (a resource would show them only the first jar's).
 */
public final class RuleIndexClass {
  private RuleIndexClass() {}

  public static JavaFile of(ExecutableElement rule, boolean generatedAnnotationAvailable) {
    TypeElement owner = (TypeElement) rule.getEnclosingElement();
    String method = rule.getSimpleName().toString();
    String simple = RuleIndex.indexClassName(owner, method);
    TypeSpec.Builder type = TypeSpec.classBuilder(simple)
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addJavadoc("Indexes the custom rules {@code $L.$L} for gradgen, so that compilations"
            + "\nusing this class's jar find them. Generated; do not edit.\n",
            owner.getQualifiedName(), method)
        .addOriginatingElement(owner)
        .addField(FieldSpec.builder(String.class, RuleIndex.RULE_CLASS, Modifier.PUBLIC,
            Modifier.STATIC, Modifier.FINAL).initializer("$S", owner.getQualifiedName().toString())
            .addJavadoc("The class declaring the rules.\n").build())
        .addField(FieldSpec.builder(String.class, RuleIndex.RULE_METHOD, Modifier.PUBLIC,
            Modifier.STATIC, Modifier.FINAL).initializer("$S", method)
            .addJavadoc("The rules' name.\n").build())
        .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
    if (generatedAnnotationAvailable) {
      type.addAnnotation(AnnotationSpec.builder(
          ClassName.get("javax.annotation.processing", "Generated"))
          .addMember("value", "$S", GradClassWriter.PROCESSOR).build());
    }
    return JavaFile.builder(RuleIndex.PACKAGE, type.build()).indent("    ").build();
  }
}
