using System.Text.Json;
using NeuralNet.IO;
using NeuralNet.Layers;
using NeuralNet.Tests.Helpers;
using PureHDF;

namespace NeuralNet.Tests.Reference;

/// <summary>
/// Keras weight files made with h5py in Keras 3's and Keras 2's layouts (Data/make_keras_weights.py); the loaded models
/// must compute the outputs NumPy computed with the same weights.
/// </summary>
public class KerasWeightsTests
{
    private static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "Data", "keras", file);

    private static (DoubleTensor X, DoubleTensor Y) Expected(string model)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(PathOf("expected.json")));
        JsonElement m = doc.RootElement.GetProperty("models").GetProperty(model);
        return (ToTensor(m.GetProperty("input")), ToTensor(m.GetProperty("output")));
    }

    private static DoubleTensor ToTensor(JsonElement nested)
    {
        var shape = new List<int>();
        JsonElement e = nested;
        while (e.ValueKind == JsonValueKind.Array)
        {
            shape.Add(e.GetArrayLength());
            e = e[0];
        }

        var data = new List<double>();
        void Walk(JsonElement x)
        {
            if (x.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement c in x.EnumerateArray())
                {
                    Walk(c);
                }
            }
            else
            {
                data.Add(x.GetDouble());
            }
        }

        Walk(nested);
        return new DoubleTensor([.. data], [.. shape]);
    }

    private static Network Mlp(int hidden = 5) => Network.Sequential([4], new Dense(hidden, "tanh"), new Dropout(0.2), new Dense(3));

    private static Network ConvLstm() => Network.Sequential([7, 2], new Conv1D(4, 3, padding: Padding.Causal, activation: "relu"), new Lstm(3), new Dense(2));

    private static Network ConvGru() => Network.Sequential([6, 1], new Conv1D(3, 2, padding: Padding.Causal, activation: "tanh"), new Gru(2), new Dense(1));

    public static TheoryData<string, string> Files => new()
    {
        { "mlp.weights.h5", "mlp" },
        { "conv_lstm.weights.h5", "conv_lstm" },
        { "conv_gru_keras2.h5", "conv_gru_keras2" },
    };

    private static Network Create(string name) => name switch
    {
        "mlp" => Mlp(),
        "conv_lstm" => ConvLstm(),
        _ => ConvGru(),
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void LoadedModelsComputeWhatNumPyComputedWithTheSameWeights(string file, string name)
    {
        Network model = Create(name);
        KerasWeights.Load(model, PathOf(file));
        (DoubleTensor x, DoubleTensor y) = Expected(name);
        DoubleTensor p = model.Predict(x)[0];
        Assert.Equal(y.Shape, p.Shape);
        Assertions.AllClose(y.Span, p.Span, 1e-13, name);
        Assert.Equal(file.EndsWith("keras2.h5", StringComparison.Ordinal) ? KerasWeightsLayout.Keras2 : KerasWeightsLayout.Keras3, KerasWeights.DetectLayout(PathOf(file)));
    }

    [Fact]
    public void Keras3NamesMatchInKerasCounterOrderNotAlphabetically()
    {
        // The file's layers are dense_2 (4→5) and dense_10 (5→3): alphabetically dense_10 would come first.
        Network model = Mlp();
        KerasWeights.Load(model, PathOf("mlp.weights.h5"));
        Assert.Equal([4, 5], model.Layers.OfType<Dense>().First().Kernel.Shape);

        // Named layers are matched by name.
        var first = new Dense(5, "tanh", name: "dense_2");
        var second = new Dense(3, name: "dense_10");
        Network named = Network.Sequential([4], first, second);
        KerasWeights.Load(named, PathOf("mlp.weights.h5"));
        (DoubleTensor x, DoubleTensor y) = Expected("mlp");
        Assertions.AllClose(y.Span, named.Predict(x)[0].Span, 1e-13, "named");
    }

    [Fact]
    public void ShapeMismatchNamesTheLayerAndBothShapesAndSetsNothing()
    {
        Network model = Mlp(hidden: 6);
        DoubleTensor[] before = model.GetWeights();
        var e = Assert.Throws<InvalidDataException>(() => KerasWeights.Load(model, PathOf("mlp.weights.h5")));
        Assert.Contains("Dense", e.Message, StringComparison.Ordinal);
        Assert.Contains("[4, 6]", e.Message, StringComparison.Ordinal);
        Assert.Contains("[4, 5]", e.Message, StringComparison.Ordinal);
        Assert.All(model.GetWeights().Zip(before), p => Assert.Equal(p.Second.Data, p.First.Data));

        var missing = Assert.Throws<InvalidDataException>(() => KerasWeights.Load(ConvLstm(), PathOf("conv_gru_keras2.h5")));
        Assert.Contains("3", missing.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => KerasWeights.Load(ConvGru(), PathOf("conv_lstm.weights.h5")));
    }

    [Theory]
    [InlineData(KerasWeightsLayout.Keras3)]
    [InlineData(KerasWeightsLayout.Keras2)]
    public void SavedFilesHaveKerasLayoutAndLoadBack(KerasWeightsLayout layout)
    {
        Network source = ConvLstm();
        var random = new Random(3);
        foreach (Layer layer in source.Layers)
        {
            TestRandom.RandomizeWeights(layer, random);
        }

        string path = Path.Combine(Path.GetTempPath(), $"nn-{Guid.NewGuid():N}.h5");
        try
        {
            KerasWeights.Save(source, path, layout);
            Assert.Equal(layout, KerasWeights.DetectLayout(path));
            using (var file = H5File.OpenRead(path))
            {
                if (layout == KerasWeightsLayout.Keras3)
                {
                    Assert.Equal([3UL, 12UL], file.Dataset("layers/lstm/cell/vars/1").Space.Dimensions);
                    Assert.Equal([3UL, 2UL, 4UL], file.Dataset("layers/conv1d/vars/0").Space.Dimensions);
                    Assert.True(file.LinkExists("layers/dense/vars/1"));
                }
                else
                {
                    Assert.Equal(["conv1d", "lstm", "dense"], file.Attribute("layer_names").Read<string[]>());
                    Assert.Equal(["lstm/lstm_cell/kernel:0", "lstm/lstm_cell/recurrent_kernel:0", "lstm/lstm_cell/bias:0"], file.Group("lstm").Attribute("weight_names").Read<string[]>());
                    Assert.Equal([4UL, 12UL], file.Group("lstm").Dataset("lstm/lstm_cell/kernel:0").Space.Dimensions);
                }
            }

            Network target = ConvLstm();
            KerasWeights.Load(target, path);
            Assert.All(target.GetWeights().Zip(source.GetWeights()), p => Assert.Equal(p.Second.Data, p.First.Data));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
