namespace NeuralNet.Training;

/// <summary>
/// The loss and accuracy of a model on a data set, as Keras' <c>evaluate</c> reports them (see
/// <see cref="NeuralNetwork.Evaluate(DoubleTensor[], DoubleTensor[], IReadOnlyList{int[]})"/>).
/// </summary>
/// <param name="Loss">
/// The loss summed over outputs: per batch of <see cref="TrainerOptions.BatchSize"/> samples, then the mean over the
/// batches weighted by their sizes (mean-reduction losses) or the sum over the batches (<see cref="Losses.LossReduction.Sum"/>).
/// </param>
/// <param name="Accuracy">
/// For classification, the fraction of the first output's rows (samples, or the unmasked time steps of a sequence
/// output) whose predicted class is the target's; NaN for regression.
/// </param>
public sealed record Evaluation(double Loss, double Accuracy);
