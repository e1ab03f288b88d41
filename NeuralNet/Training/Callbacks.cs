namespace NeuralNet.Training;

/// <summary>
/// The outcome of one training epoch: nolearn's <c>train_history_</c> entry (epoch, train_loss, valid_loss,
/// train_loss_best, valid_loss_best, valid_accuracy, dur) with the learning rate and momentum of the epoch.
/// </summary>
/// <param name="Epoch">One-based epoch number.</param>
/// <param name="TrainLoss">
/// Training loss of the epoch: the mean over its samples of the batch losses (weighted by batch size) for
/// mean-reduction losses, the sum over the epoch's batches for <see cref="Losses.LossReduction.Sum"/>.
/// </param>
/// <param name="ValidLoss">
/// Validation loss after the epoch (NaN without a validation set): <see cref="Evaluation.Loss"/> of the held-out samples,
/// masked time steps left out as in training.
/// </param>
/// <param name="ValidAccuracy">
/// Validation accuracy for classification, otherwise NaN: <see cref="Evaluation.Accuracy"/> of the held-out samples,
/// over samples or, for a sequence output, over its unmasked time steps (Keras' accuracy with the output mask as sample weights).
/// </param>
/// <param name="Duration">Wall-clock time of the epoch.</param>
/// <param name="LearningRate">Learning rate used during the epoch.</param>
public sealed record EpochInfo(int Epoch, double TrainLoss, double ValidLoss, double ValidAccuracy, TimeSpan Duration, double LearningRate)
{
    /// <summary>Training loss divided by validation loss (nolearn's train/val column).</summary>
    public double TrainValidRatio => TrainLoss / ValidLoss;

    /// <summary>Momentum used during the epoch (<see cref="Optimizers.Sgd.Momentum"/>); NaN for optimizers without one.</summary>
    public double Momentum { get; init; } = double.NaN;

    /// <summary>True when <see cref="TrainLoss"/> is the lowest so far in this fit, this epoch included (nolearn's <c>train_loss_best</c>).</summary>
    public bool TrainLossBest { get; init; }

    /// <summary>True when <see cref="ValidLoss"/> is the lowest so far in this fit, this epoch included (nolearn's <c>valid_loss_best</c>); false without a validation set.</summary>
    public bool ValidLossBest { get; init; }
}

/// <summary>Something called after each epoch (nolearn's <c>on_epoch_finished</c>).</summary>
public interface IEpochCallback
{
    /// <summary>Called after an epoch; may call <see cref="NeuralNetwork.StopTraining"/>.</summary>
    /// <param name="network">The trainer.</param>
    /// <param name="info">The epoch's results.</param>
    void OnEpochFinished(NeuralNetwork network, EpochInfo info);
}

/// <summary>Wraps a delegate as an <see cref="IEpochCallback"/>.</summary>
/// <param name="action">The delegate.</param>
public sealed class EpochCallback(Action<NeuralNetwork, EpochInfo> action) : IEpochCallback
{
    /// <inheritdoc/>
    public void OnEpochFinished(NeuralNetwork network, EpochInfo info) => action(network, info);
}

/// <summary>
/// Stops training when the validation loss (training loss without a validation set) has not improved
/// for <see cref="Patience"/> epochs, and restores the weights of the best epoch.
/// </summary>
/// <param name="patience">Epochs without improvement before stopping.</param>
public sealed class EarlyStopping(int patience) : IEpochCallback
{
    private DoubleTensor[]? _bestWeights;

    /// <summary>Epochs without improvement before stopping.</summary>
    public int Patience { get; } = patience;

    /// <summary>Best monitored loss so far.</summary>
    public double BestLoss { get; private set; } = double.PositiveInfinity;

    /// <summary>Epoch (one-based) of the best loss.</summary>
    public int BestEpoch { get; private set; }

    /// <summary>True once this callback has stopped training.</summary>
    public bool Stopped { get; private set; }

    /// <inheritdoc/>
    public void OnEpochFinished(NeuralNetwork network, EpochInfo info)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(info);
        if (info.Epoch == 1)
        {
            BestLoss = double.PositiveInfinity;
            BestEpoch = 0;
            _bestWeights = null;
            Stopped = false;
        }

        double loss = double.IsNaN(info.ValidLoss) ? info.TrainLoss : info.ValidLoss;
        if (loss < BestLoss)
        {
            BestLoss = loss;
            BestEpoch = info.Epoch;
            _bestWeights = network.Network.GetWeights();
        }
        else if (info.Epoch - BestEpoch >= Patience)
        {
            network.Log?.WriteLine($"Early stopping: best valid loss {BestLoss:F6} at epoch {BestEpoch}.");
            if (_bestWeights is not null)
            {
                network.Network.SetWeights(_bestWeights);
            }

            Stopped = true;
            network.StopTraining();
        }
    }
}

/// <summary>
/// Thrown when training meets a NaN or infinite loss or weight (Keras' <c>TerminateOnNaN</c>); names the epoch and batch.
/// </summary>
public sealed class NonFiniteLossException : ArithmeticException
{
    /// <summary>Creates the exception.</summary>
    public NonFiniteLossException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public NonFiniteLossException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public NonFiniteLossException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a given epoch and batch.</summary>
    /// <param name="epoch">One-based epoch.</param>
    /// <param name="batch">One-based batch within the epoch.</param>
    /// <param name="loss">The offending loss (NaN when a weight, not the loss, is not finite).</param>
    /// <param name="message">The message.</param>
    public NonFiniteLossException(int epoch, int batch, double loss, string message)
        : base(message)
    {
        Epoch = epoch;
        Batch = batch;
        Loss = loss;
    }

    /// <summary>One-based epoch in which training stopped.</summary>
    public int Epoch { get; }

    /// <summary>One-based batch within <see cref="Epoch"/>.</summary>
    public int Batch { get; }

    /// <summary>The non-finite loss (NaN when a weight was found non-finite after the epoch).</summary>
    public double Loss { get; }
}
