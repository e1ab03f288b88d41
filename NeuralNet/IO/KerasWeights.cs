using System.Globalization;
using System.Text.RegularExpressions;
using NeuralNet.Layers;
using PureHDF;
using PureHDF.VOL.Native;

namespace NeuralNet.IO;

/// <summary>The HDF5 layouts of Keras weight files.</summary>
public enum KerasWeightsLayout
{
    /// <summary>
    /// Keras 3's <c>.weights.h5</c> (<c>model.save_weights</c>): <c>/layers/NAME/vars/0, 1, …</c>, recurrent layers
    /// under <c>/layers/NAME/cell/vars</c>. The file does not record the layers' order.
    /// </summary>
    Keras3,

    /// <summary>
    /// Keras 2's HDF5 <c>save_weights</c>: root attribute <c>layer_names</c> in model order, each layer's group with an
    /// attribute <c>weight_names</c> (e.g. <c>lstm/lstm_cell/kernel:0</c>) naming its datasets.
    /// </summary>
    Keras2,
}

/// <summary>
/// Loads and saves a model's weights in Keras' HDF5 weight files (PureHDF, no native HDF5 library). Arrays are in
/// Keras' layout, which is this library's (<see cref="Layer.GetWeights"/>); float32 files are widened to double.
/// <para>
/// Layers are matched as follows. Keras 2 files list the layers in model order: the layers with weights are matched in
/// that order. Keras 3 files do not record the order: when every model layer with weights is named as a layer in the
/// file (give the layers Keras' names, e.g. <c>name: "dense_1"</c>), layers are matched by name; otherwise by kind
/// (dense, conv1d, simple_rnn, lstm, gru, time_distributed) in Keras' naming order (dense, dense_1, dense_2, …, which
/// is creation order), each kind in model order. Every shape is checked before any weight is set; a mismatch names the
/// layer and both shapes.
/// </para>
/// </summary>
public static partial class KerasWeights
{
    /// <summary>Which layout a file has: Keras 2 when the root has <c>layer_names</c>, Keras 3 when it has <c>/layers</c>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The layout.</returns>
    public static KerasWeightsLayout DetectLayout(string path)
    {
        using NativeFile file = H5File.OpenRead(path);
        return Detect(file, path);
    }

    /// <summary>Sets the model's weights from a Keras weight file of either layout.</summary>
    /// <param name="network">The model; its layers must be built (they are once the model exists).</param>
    /// <param name="path">A <c>.weights.h5</c> (Keras 3) or <c>.h5</c> (Keras 2) weight file.</param>
    public static void Load(Network network, string path)
    {
        ArgumentNullException.ThrowIfNull(network);
        using NativeFile file = H5File.OpenRead(path);
        Layer[] layers = [.. network.Layers.Where(l => l.Parameters.Count > 0)];
        List<(string Name, DoubleTensor[] Arrays)> entries = Detect(file, path) == KerasWeightsLayout.Keras2 ? ReadKeras2(file) : ReadKeras3(file);
        (Layer Layer, string Name, DoubleTensor[] Arrays)[] matched = Match(layers, entries, Detect(file, path));
        foreach ((Layer layer, string name, DoubleTensor[] arrays) in matched)
        {
            DoubleTensor[] expected = layer.GetWeights();
            if (expected.Length != arrays.Length)
            {
                throw new InvalidDataException($"Layer {layer.Name} has {expected.Length} weight arrays; '{name}' in the file has {arrays.Length}.");
            }

            for (int i = 0; i < arrays.Length; i++)
            {
                if (!expected[i].Shape.AsSpan().SequenceEqual(arrays[i].Shape))
                {
                    throw new InvalidDataException($"Weight {layer.Parameters[i].Name} of layer {layer.Name} has shape {Shape(expected[i])}; '{name}' in the file has {Shape(arrays[i])}.");
                }
            }
        }

        foreach ((Layer layer, _, DoubleTensor[] arrays) in matched)
        {
            layer.SetWeights(arrays);
        }
    }

    /// <summary>Writes the model's weights as a Keras weight file, naming layers as Keras would (dense, dense_1, lstm, …).</summary>
    /// <param name="network">The model.</param>
    /// <param name="path">The file to write (replaced if it exists).</param>
    /// <param name="layout">Keras 3 (default) or Keras 2.</param>
    public static void Save(Network network, string path, KerasWeightsLayout layout = KerasWeightsLayout.Keras3)
    {
        ArgumentNullException.ThrowIfNull(network);
        var counters = new Dictionary<string, int>();
        string NameOf(Layer layer)
        {
            string kind = Kind(layer);
            int n = counters.GetValueOrDefault(kind);
            counters[kind] = n + 1;
            return n == 0 ? kind : string.Create(CultureInfo.InvariantCulture, $"{kind}_{n}");
        }

        var file = new H5File();
        if (layout == KerasWeightsLayout.Keras3)
        {
            var layersGroup = new H5Group();
            foreach (Layer layer in network.Layers)
            {
                string name = NameOf(layer);
                var vars = new H5Group();
                DoubleTensor[] weights = layer.GetWeights();
                for (int i = 0; i < weights.Length; i++)
                {
                    vars[i.ToString(CultureInfo.InvariantCulture)] = Dataset(weights[i]);
                }

                layersGroup[name] = layer is RecurrentLayer
                    ? new H5Group { ["vars"] = new H5Group(), ["cell"] = new H5Group { ["vars"] = vars } }
                    : new H5Group { ["vars"] = vars };
            }

            file["layers"] = layersGroup;
            file["optimizer"] = new H5Group { ["vars"] = new H5Group() };
            file["vars"] = new H5Group();
        }
        else
        {
            var names = new List<string>();
            foreach (Layer layer in network.Layers)
            {
                string name = NameOf(layer);
                names.Add(name);
                var group = new H5Group();
                DoubleTensor[] weights = layer.GetWeights();
                string prefix = layer is RecurrentLayer ? $"{name}/{Kind(layer)}_cell" : name;
                string[] weightNames = [.. layer.Parameters.Select(p => $"{prefix}/{p.Name}:0")];
                for (int i = 0; i < weights.Length; i++)
                {
                    Place(group, weightNames[i], Dataset(weights[i]));
                }

                group.Attributes = new Dictionary<string, object> { ["weight_names"] = weightNames };
                file[name] = group;
            }

            file.Attributes = new Dictionary<string, object>
            {
                ["layer_names"] = names.ToArray(),
                ["backend"] = "tensorflow",
                ["keras_version"] = "2.15.0",
            };
        }

        file.Write(path);
    }

    private static KerasWeightsLayout Detect(NativeFile file, string path)
    {
        if (file.AttributeExists("layer_names"))
        {
            return KerasWeightsLayout.Keras2;
        }

        if (file.LinkExists("layers"))
        {
            return KerasWeightsLayout.Keras3;
        }

        throw new InvalidDataException($"{path} is neither a Keras 3 weights file (no /layers group) nor a Keras 2 one (no layer_names attribute).");
    }

    private static List<(string Name, DoubleTensor[] Arrays)> ReadKeras3(NativeFile file)
    {
        var entries = new List<(string, DoubleTensor[])>();
        foreach (IH5Object child in file.Group("layers").Children())
        {
            if (child is IH5Group group && FindVars(group) is { Length: > 0 } arrays)
            {
                entries.Add((group.Name, arrays));
            }
        }

        return entries;
    }

    // A layer's own vars, or the first non-empty vars below it (cell/vars of recurrent layers, layer/vars of wrappers).
    private static DoubleTensor[]? FindVars(IH5Group group)
    {
        if (group.LinkExists("vars"))
        {
            IH5Group vars = group.Group("vars");
            var datasets = vars.Children().OfType<IH5Dataset>().ToList();
            if (datasets.Count > 0)
            {
                return [.. datasets.OrderBy(d => int.Parse(d.Name, CultureInfo.InvariantCulture)).Select(ReadArray)];
            }
        }

        foreach (IH5Group sub in group.Children().OfType<IH5Group>().Where(g => g.Name != "vars"))
        {
            if (FindVars(sub) is { Length: > 0 } found)
            {
                return found;
            }
        }

        return null;
    }

    private static List<(string Name, DoubleTensor[] Arrays)> ReadKeras2(NativeFile file)
    {
        var entries = new List<(string, DoubleTensor[])>();
        foreach (string name in file.Attribute("layer_names").Read<string[]>())
        {
            IH5Group group = file.Group(name);
            string[] weightNames = group.AttributeExists("weight_names") ? group.Attribute("weight_names").Read<string[]>() : [];
            if (weightNames.Length > 0)
            {
                entries.Add((name, [.. weightNames.Select(w => ReadArray(group.Dataset(w)))]));
            }
        }

        return entries;
    }

    private static (Layer, string, DoubleTensor[])[] Match(Layer[] layers, List<(string Name, DoubleTensor[] Arrays)> entries, KerasWeightsLayout layout)
    {
        if (layout == KerasWeightsLayout.Keras2 || layers.All(l => entries.Any(e => e.Name == l.Name)))
        {
            if (layout == KerasWeightsLayout.Keras3)
            {
                return [.. layers.Select(l => (l, l.Name, entries.First(e => e.Name == l.Name).Arrays))];
            }

            if (layers.Length != entries.Count)
            {
                throw new InvalidDataException($"The network has {layers.Length} layers with weights; the file has {entries.Count} ({string.Join(", ", entries.Select(e => e.Name))}).");
            }

            return [.. layers.Select((l, i) => (l, entries[i].Name, entries[i].Arrays))];
        }

        // Keras 3 without matching names: by kind, in Keras' naming order within each kind.
        var byKind = entries.GroupBy(e => KindOfName(e.Name)).ToDictionary(g => g.Key, g => g.OrderBy(e => Counter(e.Name)).ToList());
        var result = new List<(Layer, string, DoubleTensor[])>();
        foreach (IGrouping<string, Layer> kind in layers.GroupBy(Kind))
        {
            List<(string Name, DoubleTensor[] Arrays)> found = byKind.GetValueOrDefault(kind.Key) ?? [];
            Layer[] mine = [.. kind];
            if (found.Count != mine.Length)
            {
                throw new InvalidDataException($"The network has {mine.Length} {kind.Key} layer(s) with weights; the file has {found.Count} ({string.Join(", ", found.Select(e => e.Name))}). Name the layers as in the file to match by name.");
            }

            result.AddRange(mine.Select((l, i) => (l, found[i].Name, found[i].Arrays)));
        }

        string[] extra = [.. byKind.Keys.Except(layers.Select(Kind))];
        if (extra.Length > 0)
        {
            throw new InvalidDataException($"The file has weights for layers the network does not have: {string.Join(", ", extra.SelectMany(k => byKind[k]).Select(e => e.Name))}.");
        }

        return [.. result];
    }

    private static string Kind(Layer layer) => layer switch
    {
        Dense => "dense",
        Conv1D => "conv1d",
        SimpleRnn => "simple_rnn",
        Lstm => "lstm",
        Gru => "gru",
        TimeDistributed => "time_distributed",
        _ => CamelToSnake(layer.GetType().Name),
    };

    private static string KindOfName(string name) => CounterSuffix().Replace(name, string.Empty);

    private static int Counter(string name)
    {
        Match m = CounterSuffix().Match(name);
        return m.Success ? int.Parse(m.Value[1..], CultureInfo.InvariantCulture) : 0;
    }

    private static string CamelToSnake(string name) => UpperCase().Replace(name, m => (m.Index > 0 ? "_" : string.Empty) + m.Value.ToLowerInvariant());

    [GeneratedRegex("_[0-9]+$")]
    private static partial Regex CounterSuffix();

    [GeneratedRegex("[A-Z]")]
    private static partial Regex UpperCase();

    private static DoubleTensor ReadArray(IH5Dataset dataset)
    {
        int[] shape = [.. dataset.Space.Dimensions.Select(d => checked((int)d))];
        double[] data = dataset.Type.Class == H5DataTypeClass.FloatingPoint && dataset.Type.Size == 4
            ? [.. dataset.Read<float[]>().Select(v => (double)v)]
            : dataset.Type.Class == H5DataTypeClass.FloatingPoint && dataset.Type.Size == 8
                ? dataset.Read<double[]>()
                : throw new InvalidDataException($"Dataset {dataset.Name} is not float32 or float64.");
        return new DoubleTensor(data, shape);
    }

    private static H5Dataset Dataset(DoubleTensor t) => new(t.Data, fileDims: [.. t.Shape.Select(s => (ulong)s)]);

    // Keras 2 weight names are paths ("lstm/lstm_cell/kernel:0") below the layer's group.
    private static void Place(H5Group group, string path, H5Dataset dataset)
    {
        string[] parts = path.Split('/');
        H5Group at = group;
        foreach (string part in parts[..^1])
        {
            if (!at.TryGetValue(part, out object? next))
            {
                next = new H5Group();
                at[part] = next;
            }

            at = (H5Group)next;
        }

        at[parts[^1]] = dataset;
    }

    private static string Shape(DoubleTensor t) => $"[{string.Join(", ", t.Shape)}]";
}
