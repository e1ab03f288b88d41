namespace NeuralNet.Preprocessing;

/// <summary>
/// scikit-learn's <c>MultiLabelBinarizer</c>: each sample is a set of labels; the result has one 0/1 column per class.
/// The classes are the sorted union of the training labels, or the given classes in the given order. A label repeated
/// within a sample counts once. Labels outside the classes are refused by default; with <c>ignoreUnknown</c> they are
/// dropped as scikit-learn does (it warns; here they are listed in <see cref="IgnoredLabels"/>).
/// </summary>
/// <typeparam name="T">Label type.</typeparam>
public sealed class MultiLabelBinarizer<T>
    where T : notnull
{
    private readonly T[]? _givenClasses;
    private readonly IComparer<T> _order;
    private T[]? _classes;
    private Dictionary<T, int>? _index;

    /// <summary>Creates the binarizer.</summary>
    /// <param name="classes">Fixed classes in column order (scikit-learn's <c>classes</c>); null learns the sorted union at <see cref="Fit"/>.</param>
    /// <param name="ignoreUnknown">Drop labels outside the classes (scikit-learn) instead of throwing.</param>
    /// <param name="comparer">The order of learned classes (ordinal for strings by default, as Python sorts them).</param>
    public MultiLabelBinarizer(IReadOnlyList<T>? classes = null, bool ignoreUnknown = false, IComparer<T>? comparer = null)
    {
        if (classes is not null)
        {
            if (classes.Distinct().Count() < classes.Count)
            {
                throw new ArgumentException("The classes contain duplicates; remove them first.", nameof(classes));
            }

            _givenClasses = [.. classes];
        }

        IgnoreUnknown = ignoreUnknown;
        _order = LabelBinarize.DefaultOrder(comparer);
    }

    /// <summary>The classes in column order (after <see cref="Fit"/>).</summary>
    public IReadOnlyList<T> Classes => _classes ?? throw new InvalidOperationException("Call Fit first.");

    /// <summary>Whether labels outside the classes are dropped rather than refused.</summary>
    public bool IgnoreUnknown { get; }

    /// <summary>The distinct labels dropped by the last <see cref="Transform"/> (sorted by their text, as scikit-learn's warning lists them).</summary>
    public IReadOnlyList<T> IgnoredLabels { get; private set; } = [];

    /// <summary>Learns the classes: the given ones, or the sorted union of the labels.</summary>
    /// <param name="samples">The label set of each sample.</param>
    /// <returns>This binarizer.</returns>
    public MultiLabelBinarizer<T> Fit(IEnumerable<IEnumerable<T>> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        _classes = _givenClasses ?? [.. samples.SelectMany(s => s).Distinct().Order(_order)];
        _index = new Dictionary<T, int>();
        for (int i = 0; i < _classes.Length; i++)
        {
            _index[_classes[i]] = i;
        }

        return this;
    }

    /// <summary>Marks each sample's labels.</summary>
    /// <param name="samples">The label set of each sample.</param>
    /// <returns>A [samples, classes] matrix of 0 and 1.</returns>
    public int[,] Transform(IReadOnlyList<IEnumerable<T>> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        Dictionary<T, int> index = _index ?? throw new InvalidOperationException("Call Fit first.");
        var result = new int[samples.Count, index.Count];
        var unknown = new HashSet<T>();
        for (int r = 0; r < samples.Count; r++)
        {
            foreach (T label in samples[r])
            {
                if (index.TryGetValue(label, out int c))
                {
                    result[r, c] = 1;
                }
                else
                {
                    unknown.Add(label);
                }
            }
        }

        IgnoredLabels = [.. unknown.OrderBy(l => l.ToString(), StringComparer.Ordinal)];
        if (unknown.Count > 0 && !IgnoreUnknown)
        {
            throw new ArgumentException($"Unknown class(es) {string.Join(", ", IgnoredLabels)}: they are not among the classes. Pass ignoreUnknown: true to drop them as scikit-learn does.", nameof(samples));
        }

        return result;
    }

    /// <summary>Fits and transforms.</summary>
    /// <param name="samples">The label set of each sample.</param>
    /// <returns>A [samples, classes] matrix of 0 and 1.</returns>
    public int[,] FitTransform(IReadOnlyList<IEnumerable<T>> samples) => Fit(samples).Transform(samples);

    /// <summary>Maps an indicator matrix back to each sample's labels, in column order.</summary>
    /// <param name="indicator">A [samples, classes] matrix of 0 and 1.</param>
    /// <returns>The labels of each sample.</returns>
    public T[][] InverseTransform(int[,] indicator)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        T[] classes = _classes ?? throw new InvalidOperationException("Call Fit first.");
        if (indicator.GetLength(1) != classes.Length)
        {
            throw new ArgumentException($"Expected indicator for {classes.Length} classes, but got {indicator.GetLength(1)}.", nameof(indicator));
        }

        var result = new T[indicator.GetLength(0)][];
        for (int r = 0; r < result.Length; r++)
        {
            var labels = new List<T>();
            for (int c = 0; c < classes.Length; c++)
            {
                int v = indicator[r, c];
                if (v is not (0 or 1))
                {
                    throw new ArgumentException($"Expected only 0s and 1s in label indicator; got {v}.", nameof(indicator));
                }

                if (v == 1)
                {
                    labels.Add(classes[c]);
                }
            }

            result[r] = [.. labels];
        }

        return result;
    }
}
