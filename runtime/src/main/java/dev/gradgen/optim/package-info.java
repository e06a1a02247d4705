/**
 * Optimizers for training loops over generated gradients: {@link dev.gradgen.optim.Sgd} (with
 * momentum and Nesterov), {@link dev.gradgen.optim.Adam} and {@link dev.gradgen.optim.AdamW}, as
 * PyTorch documents them, and learning-rate {@link dev.gradgen.optim.Schedule schedules}. They
 * update {@code double[]}, {@code double[][]} and {@code double[][][]} parameters in place from
 * gradient arrays, such as those of a generated gradient buffer, and allocate nothing per step.
 */
package dev.gradgen.optim;
