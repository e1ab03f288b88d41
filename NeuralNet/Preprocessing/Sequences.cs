namespace NeuralNet.Preprocessing;

/// <summary>
/// Variable-length sequences: padding to one tensor (Keras' <c>pad_sequences</c> with <c>padding='post'</c>) and the
/// time-step masks that recurrent layers honour.
/// </summary>
public static class Sequences
{
    /// <summary>Pads sequences at the end into one [count, maxLength, features] tensor.</summary>
    /// <param name="sequences">Each sequence as [length, features]; all with the same number of features.</param>
    /// <param name="maxLength">The padded length (the longest sequence when null); longer sequences are refused, not cut.</param>
    /// <param name="value">The padding value.</param>
    /// <returns>The padded tensor and each sequence's length.</returns>
    public static (DoubleTensor Padded, int[] Lengths) Pad(IReadOnlyList<double[,]> sequences, int? maxLength = null, double value = 0.0)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.Count == 0)
        {
            throw new ArgumentException("There are no sequences.", nameof(sequences));
        }

        int features = sequences[0].GetLength(1);
        int[] lengths = [.. sequences.Select(s => s.GetLength(0))];
        int time = maxLength ?? lengths.Max();
        for (int i = 0; i < sequences.Count; i++)
        {
            if (sequences[i].GetLength(1) != features)
            {
                throw new ArgumentException($"Sequence {i} has {sequences[i].GetLength(1)} features, sequence 0 has {features}.", nameof(sequences));
            }

            if (lengths[i] > time)
            {
                throw new ArgumentException($"Sequence {i} has {lengths[i]} steps, more than maxLength {time}.", nameof(maxLength));
            }
        }

        var padded = new DoubleTensor(sequences.Count, time, features);
        padded.Span.Fill(value);
        for (int i = 0; i < sequences.Count; i++)
        {
            int at = i * time * features;
            foreach (double v in sequences[i])
            {
                padded.Data[at++] = v;
            }
        }

        return (padded, lengths);
    }

    /// <summary>The mask of post-padded sequences: step t of sample b holds data when t &lt; lengths[b].</summary>
    /// <param name="lengths">Each sample's length, 0 to <paramref name="time"/>.</param>
    /// <param name="time">The padded length.</param>
    /// <returns>[batch·time] row-major.</returns>
    public static bool[] MaskFromLengths(IReadOnlyList<int> lengths, int time)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        var mask = new bool[lengths.Count * time];
        for (int b = 0; b < lengths.Count; b++)
        {
            if (lengths[b] < 0 || lengths[b] > time)
            {
                throw new ArgumentOutOfRangeException(nameof(lengths), lengths[b], $"Length {lengths[b]} of sample {b} is outside 0..{time}.");
            }

            mask.AsSpan(b * time, lengths[b]).Fill(true);
        }

        return mask;
    }

    internal static bool[]?[] MasksFromLengths(DoubleTensor[] inputs, IReadOnlyList<int[]?> lengths)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        if (lengths.Count != inputs.Length)
        {
            throw new ArgumentException($"Got lengths for {lengths.Count} inputs; there are {inputs.Length}.", nameof(lengths));
        }

        var masks = new bool[]?[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            if (lengths[i] is { } l)
            {
                if (inputs[i].Rank < 3 || l.Length != inputs[i].Shape[0])
                {
                    throw new ArgumentException($"Input {i} ({inputs[i]}) needs one length per sample and a time axis; got {l.Length} lengths.", nameof(lengths));
                }

                masks[i] = MaskFromLengths(l, inputs[i].Shape[1]);
            }
        }

        return masks;
    }

    internal static bool[] SelectMaskRows(bool[] mask, int time, int[] rows)
    {
        var result = new bool[rows.Length * time];
        for (int i = 0; i < rows.Length; i++)
        {
            Array.Copy(mask, rows[i] * time, result, i * time, time);
        }

        return result;
    }
}
