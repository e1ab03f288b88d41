namespace NeuralNet.Preprocessing;

/// <summary>
/// scikit-learn's <c>label_binarize</c>, with its semantics: one column per given class in the given order;
/// labels not among the classes give a row of negative labels. The single column of the two-class case appears,
/// as in scikit-learn, only when the labels themselves take at most two distinct values (their target type is
/// "binary"): it is 1 for the second given class. Labels with three or more distinct values against two classes
/// give two columns, and against one class a column that marks that class; binary labels against one class give a
/// column of negative labels. Multilabel-indicator input (a 0/1 matrix) is the other overload.
/// </summary>
public static class LabelBinarize
{
    /// <summary>Binarizes labels against a fixed list of classes.</summary>
    /// <typeparam name="T">Label type.</typeparam>
    /// <param name="labels">The labels (at least one; floating-point labels must be whole numbers, as scikit-learn refuses "continuous" targets).</param>
    /// <param name="classes">The classes, in column order, without repeats.</param>
    /// <param name="negativeLabel">Value for "not this class"; must be below <paramref name="positiveLabel"/>.</param>
    /// <param name="positiveLabel">Value for "this class".</param>
    /// <returns>A [labels, columns] matrix (see the class remarks for the number of columns).</returns>
    public static double[,] Transform<T>(IReadOnlyList<T> labels, IReadOnlyList<T> classes, double negativeLabel = 0.0, double positiveLabel = 1.0)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(labels);
        Dictionary<T, int> index = CheckArguments(classes, negativeLabel, positiveLabel);
        if (labels.Count == 0)
        {
            throw new ArgumentException("There are no labels.", nameof(labels));
        }

        foreach (T label in labels)
        {
            if (label is double d && !(double.IsFinite(d) && d == Math.Floor(d)) || label is float f && !(float.IsFinite(f) && f == MathF.Floor(f)))
            {
                throw new ArgumentException($"Label {label} is not a whole number: scikit-learn refuses continuous targets.", nameof(labels));
            }
        }

        bool binaryTarget = labels.Distinct().Take(3).Count() <= 2;
        int columns = binaryTarget && classes.Count == 2 ? 1 : classes.Count;
        var result = new double[labels.Count, columns];
        for (int r = 0; r < labels.Count; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                result[r, c] = negativeLabel;
            }

            if (binaryTarget && classes.Count == 1)
            {
                continue;
            }

            if (index.TryGetValue(labels[r], out int k))
            {
                if (columns == 1 && classes.Count == 2)
                {
                    result[r, 0] = k == 1 ? positiveLabel : negativeLabel;
                }
                else
                {
                    result[r, k] = positiveLabel;
                }
            }
        }

        return result;
    }

    /// <summary>
    /// Binarizes multilabel-indicator input (scikit-learn's "multilabel-indicator" target: a 0/1 matrix with two or
    /// more columns, one per class). As in scikit-learn, the indicator's columns are read in the <em>sorted</em> order of
    /// the classes and returned in the given order, 1 becomes <paramref name="positiveLabel"/> and 0
    /// <paramref name="negativeLabel"/>; two classes keep two columns.
    /// </summary>
    /// <typeparam name="T">Class type.</typeparam>
    /// <param name="indicator">A [samples, classes] matrix of 0 and 1.</param>
    /// <param name="classes">The classes, one per indicator column, without repeats.</param>
    /// <param name="negativeLabel">Value for 0; must be below <paramref name="positiveLabel"/>.</param>
    /// <param name="positiveLabel">Value for 1.</param>
    /// <param name="comparer">The sort order of the classes (ordinal for strings by default, as NumPy sorts them).</param>
    /// <returns>A [samples, classes] matrix.</returns>
    public static double[,] Transform<T>(int[,] indicator, IReadOnlyList<T> classes, double negativeLabel = 0.0, double positiveLabel = 1.0, IComparer<T>? comparer = null)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(indicator);
        CheckArguments(classes, negativeLabel, positiveLabel);
        int rows = indicator.GetLength(0), cols = indicator.GetLength(1);
        if (rows == 0)
        {
            throw new ArgumentException("The indicator has no rows.", nameof(indicator));
        }

        if (cols < 2)
        {
            throw new ArgumentException("A one-column indicator is a label vector to scikit-learn, not multilabel input: pass the labels instead.", nameof(indicator));
        }

        if (cols != classes.Count)
        {
            throw new ArgumentException($"The indicator has {cols} columns but {classes.Count} classes are given.", nameof(classes));
        }

        foreach (int v in indicator)
        {
            if (v is not (0 or 1))
            {
                throw new ArgumentException($"A label indicator holds only 0 and 1; found {v}.", nameof(indicator));
            }
        }

        IComparer<T> order = DefaultOrder(comparer);
        T[] sorted = [.. classes.Order(order)];
        int[] rank = [.. classes.Select(c => Array.BinarySearch(sorted, c, order))];
        var result = new double[rows, cols];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                result[r, c] = indicator[r, rank[c]] == 1 ? positiveLabel : negativeLabel;
            }
        }

        return result;
    }

    /// <summary>Ordinal order for strings (NumPy's), the type's default order otherwise.</summary>
    /// <typeparam name="T">Label type.</typeparam>
    /// <param name="comparer">An explicit order, or null.</param>
    /// <returns>The order.</returns>
    internal static IComparer<T> DefaultOrder<T>(IComparer<T>? comparer)
        => comparer ?? (typeof(T) == typeof(string) ? (IComparer<T>)StringComparer.Ordinal : Comparer<T>.Default);

    private static Dictionary<T, int> CheckArguments<T>(IReadOnlyList<T> classes, double negativeLabel, double positiveLabel)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(classes);
        if (classes.Count == 0)
        {
            throw new ArgumentException("At least one class is needed.", nameof(classes));
        }

        if (!(negativeLabel < positiveLabel))
        {
            throw new ArgumentException($"negativeLabel={negativeLabel} must be strictly less than positiveLabel={positiveLabel}.", nameof(negativeLabel));
        }

        var index = new Dictionary<T, int>();
        for (int i = 0; i < classes.Count; i++)
        {
            if (!index.TryAdd(classes[i], i))
            {
                throw new ArgumentException($"Class '{classes[i]}' is listed twice.", nameof(classes));
            }
        }

        return index;
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
        _classes = [.. labels.Distinct().Order(LabelBinarize.DefaultOrder(comparer))];
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
