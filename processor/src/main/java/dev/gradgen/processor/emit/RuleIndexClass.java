package dev.gradgen.processor.emit;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;

/**
 * The index class of the custom rules named {@code method} in class {@code owner}: compilations
 * that have the jar on their class path list the index package to find the rules (a resource
 * would show them only the first jar's). Its two constants name the rules' class and name.
 */
public final class RuleIndexClass {
  private RuleIndexClass() {}

  public static JavaFile of(TypeElement origin, String method, String packageName,
      String simpleName, String classField, String methodField,
      boolean generatedAnnotationAvailable) {
    String owner = origin.getQualifiedName().toString();
    TypeSpec.Builder type = TypeSpec.classBuilder(simpleName)
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addJavadoc("Indexes the custom rules {@code $L.$L} for gradgen, so that compilations"
            + "\nusing this class's jar find them. Generated; do not edit.\n", owner, method)
        .addOriginatingElement(origin)
        .addField(FieldSpec.builder(String.class, classField, Modifier.PUBLIC,
            Modifier.STATIC, Modifier.FINAL).initializer("$S", owner)
            .addJavadoc("The class declaring the rules.\n").build())
        .addField(FieldSpec.builder(String.class, methodField, Modifier.PUBLIC,
            Modifier.STATIC, Modifier.FINAL).initializer("$S", method)
            .addJavadoc("The rules' name.\n").build())
        .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
    if (generatedAnnotationAvailable) {
      type.addAnnotation(AnnotationSpec.builder(
          ClassName.get("javax.annotation.processing", "Generated"))
          .addMember("value", "$S", GradClassWriter.PROCESSOR).build());
    }
    return JavaFile.builder(packageName, type.build()).indent("    ").build();
  }
}
