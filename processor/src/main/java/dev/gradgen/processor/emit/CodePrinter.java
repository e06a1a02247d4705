package dev.gradgen.processor.emit;

import com.palantir.javapoet.CodeBlock;
import dev.gradgen.processor.ir.Code;
import java.util.List;

/** Prints backward code, statement by statement; it decides nothing. */
public final class CodePrinter {
  private final Printer printer;

  public CodePrinter(Printer printer) {
    this.printer = printer;
  }

  public CodeBlock print(List<Code> code) {
    CodeBlock.Builder b = CodeBlock.builder();
    for (Code c : code) {
      print(c, b);
    }
    return b.build();
  }

  private void print(Code c, CodeBlock.Builder b) {
    c.accept(new Code.Visitor<Void>() {
      @Override
      public Void declare(Code.Declare d) {
        if (d.of() != null) {
          // (The printer writes no unicode escape of a line end that could end the comment.)
          b.add("// the adjoint of $L\n", printer.print(d.of()));
        }
        b.addStatement("$L $N = $L", d.type().java(), d.name(), printer.print(d.value()));
        return null;
      }

      @Override
      public Void set(Code.Set s) {
        b.addStatement("$L = $L", printer.print(s.target()), printer.print(s.value()));
        return null;
      }

      @Override
      public Void addTo(Code.AddTo a) {
        b.addStatement("$L += $L", printer.print(a.target()), printer.print(a.value()));
        return null;
      }

      @Override
      public Void run(Code.Run r) {
        b.addStatement("$L", printer.print(r.call()));
        return null;
      }

      @Override
      public Void ifCode(Code.If i) {
        b.beginControlFlow("if ($L)", printer.print(i.condition()));
        i.then().forEach(x -> print(x, b));
        if (!i.otherwise().isEmpty()) {
          b.nextControlFlow("else");
          i.otherwise().forEach(x -> print(x, b));
        }
        b.endControlFlow();
        return null;
      }
    });
  }
}
