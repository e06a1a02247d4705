package dev.gradgen.spark;

import java.io.Serializable;
import org.apache.spark.mllib.linalg.DenseVector;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.optimization.Gradient;

/**
 * A gradgen gradient of a per-example loss as MLlib's {@link Gradient}, so that MLlib's own
 * distributed optimizers ({@code LBFGS.runLBFGS}, {@code GradientDescent.runMiniBatchSGD}, which
 * sum per-partition gradients with {@code treeAggregate}) train it over an {@code RDD} of
 * {@code (label, features)} pairs.
 *
 * <p>The loss is given as a {@link PointLoss}, usually a method reference to a generated buffer
 * form. Each task deserializes its own copy of the adapter, so the buffers a loss keeps are per
 * task; MLlib calls {@code compute} from one thread per task.
 */
public final class GradgenGradient extends Gradient {
  private static final long serialVersionUID = 1L;

  /** One example's loss and gradient, in gradgen's buffer form. */
  @FunctionalInterface
  public interface PointLoss extends Serializable {
    /**
     * The loss of {@code weights} on one example; writes its gradient with respect to
     * {@code weights} into {@code gradient}, overwriting it.
     *
     * @param weights the parameters (not modified)
     * @param features the example's features (not modified)
     * @param label the example's label
     * @param gradient as long as {@code weights}, overwritten with the gradient
     * @return the loss
     */
    double loss(double[] weights, double[] features, double label, double[] gradient);
  }

  private final PointLoss loss;
  private final int dimension;
  private final int features;
  private transient double[] scratch;

  /**
   * An MLlib gradient computing {@code loss}, for weights of {@code dimension} entries and
   * examples of {@code features} features.
   *
   * @param loss the per-example loss and its gradgen gradient
   * @param dimension the number of weights
   * @param features the number of features an example must have
   */
  public GradgenGradient(PointLoss loss, int dimension, int features) {
    if (features <= 0) {
      throw new IllegalArgumentException("features must be positive, got " + features);
    }
    if (loss == null) {
      throw new IllegalArgumentException("loss is null");
    }
    if (dimension <= 0) {
      throw new IllegalArgumentException("dimension must be positive, got " + dimension);
    }
    this.loss = loss;
    this.dimension = dimension;
    this.features = features;
  }

  @Override
  public double compute(Vector data, double label, Vector weights, Vector cumGradient) {
    if (weights.size() != dimension || cumGradient.size() != dimension) {
      throw new IllegalArgumentException("expected weights and gradient of " + dimension
          + " entries, got " + weights.size() + " and " + cumGradient.size());
    }
    if (data.size() != features) {
      throw new IllegalArgumentException("an example (label " + label + ") has " + data.size()
          + " features but the loss takes " + features);
    }
    if (!(cumGradient instanceof DenseVector sum)) {
      throw new IllegalArgumentException("the gradient sum must be a DenseVector, got "
          + cumGradient.getClass().getSimpleName());
    }
    if (scratch == null) {
      scratch = new double[dimension];
    }
    double value = loss.loss(weights.toArray(), data.toArray(), label, scratch);
    double[] into = sum.values();
    for (int i = 0; i < dimension; i++) {
      into[i] += scratch[i];
    }
    return value;
  }
}
