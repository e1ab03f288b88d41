namespace NeuralNet.Preprocessing;

/// <summary>
/// scikit-learn's <c>label_binarize</c>: one column per given class in the given order, two classes
/// give a single column (1 for the second class), unknown labels give a row of negative labels.
/// </summary>
public static class LabelBinarize
{
    /// <summary>Binarizes labels against a fixed list of classes.</summary>
    /// <typeparam name="T">Label type.</typeparam>
    /// <param name="labels">The labels.</param>
    /// <param name="classes">The classes, in column order.</param>
    /// <param name="negativeLabel">Value for "not this class".</param>
    /// <param name="positiveLabel">Value for "this class".</param>
    /// <returns>A [labels, columns] matrix; columns = 1 for one or two classes.</returns>
    public static double[,] Transform<T>(IReadOnlyList<T> labels, IReadOnlyList<T> classes, double negativeLabel = 0.0, double positiveLabel = 1.0)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classes);
        if (classes.Count == 0)
        {
            throw new ArgumentException("At least one class is needed.", nameof(classes));
        }

        var index = new Dictionary<T, int>();
        for (int i = 0; i < classes.Count; i++)
        {
            if (!index.TryAdd(classes[i], i))
            {
                throw new ArgumentException($"Class '{classes[i]}' is listed twice.", nameof(classes));
            }
        }

        int columns = classes.Count <= 2 ? 1 : classes.Count;
        var result = new double[labels.Count, columns];
        for (int r = 0; r < labels.Count; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                result[r, c] = negativeLabel;
            }

            if (!index.TryGetValue(labels[r], out int k))
            {
                continue;
            }

            if (classes.Count == 2)
            {
                result[r, 0] = k == 1 ? positiveLabel : negativeLabel;
            }
            else if (classes.Count > 2)
            {
                result[r, k] = positiveLabel;
            }
        }

        return result;
    }
}

/// <summary>
/// scikit-learn's <c>LabelBinarizer</c>: learns the sorted distinct classes, binarizes labels
/// one-vs-all (one column for two classes) and maps scores back to labels.
/// </summary>
/// <typeparam name="T">Label type.</typeparam>
/// <param name="negativeLabel">Value for "not this class".</param>
/// <param name="positiveLabel">Value for "this class".</param>
/// <param name="comparer">Order of the classes (ordinal for strings by default).</param>
public sealed class LabelBinarizer<T>(double negativeLabel = 0.0, double positiveLabel = 1.0, IComparer<T>? comparer = null)
    where T : notnull
{
    private T[]? _classes;

    /// <summary>The learned classes in column order.</summary>
    public IReadOnlyList<T> Classes => _classes ?? throw new InvalidOperationException("Call Fit first.");

    /// <summary>Value for "not this class".</summary>
    public double NegativeLabel { get; } = negativeLabel;

    /// <summary>Value for "this class".</summary>
    public double PositiveLabel { get; } = positiveLabel;

    /// <summary>Learns the sorted distinct classes.</summary>
    /// <param name="labels">Training labels.</param>
    /// <returns>This binarizer.</returns>
    public LabelBinarizer<T> Fit(IEnumerable<T> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        IComparer<T> order = comparer ?? (typeof(T) == typeof(string) ? (IComparer<T>)StringComparer.Ordinal : Comparer<T>.Default);
        _classes = [.. labels.Distinct().Order(order)];
        if (_classes.Length == 0)
        {
            throw new ArgumentException("No labels.", nameof(labels));
        }

        return this;
    }

    /// <summary>Binarizes labels against the learned classes.</summary>
    /// <param name="labels">Labels.</param>
    /// <returns>A [labels, columns] matrix.</returns>
    public double[,] Transform(IReadOnlyList<T> labels) => LabelBinarize.Transform(labels, Classes, NegativeLabel, PositiveLabel);

    /// <summary>Fits and transforms.</summary>
    /// <param name="labels">Labels.</param>
    /// <returns>A [labels, columns] matrix.</returns>
    public double[,] FitTransform(IReadOnlyList<T> labels) => Fit(labels).Transform(labels);

    /// <summary>
    /// Maps rows back to labels: the arg-max column, or for one column the second class when the
    /// value exceeds <paramref name="threshold"/> (default midway between the labels).
    /// </summary>
    /// <param name="scores">A [rows, columns] matrix.</param>
    /// <param name="threshold">Decision threshold for the single-column case.</param>
    /// <returns>The labels.</returns>
    public T[] InverseTransform(double[,] scores, double? threshold = null)
    {
        ArgumentNullException.ThrowIfNull(scores);
        T[] classes = _classes ?? throw new InvalidOperationException("Call Fit first.");
        int rows = scores.GetLength(0), cols = scores.GetLength(1);
        var result = new T[rows];
        double cut = threshold ?? ((NegativeLabel + PositiveLabel) / 2.0);
        for (int r = 0; r < rows; r++)
        {
            if (classes.Length <= 2 && cols == 1)
            {
                result[r] = classes.Length == 1 ? classes[0] : scores[r, 0] > cut ? classes[1] : classes[0];
                continue;
            }

            int best = 0;
            for (int c = 1; c < cols; c++)
            {
                if (scores[r, c] > scores[r, best])
                {
                    best = c;
                }
            }

            result[r] = classes[best];
        }

        return result;
    }
}
