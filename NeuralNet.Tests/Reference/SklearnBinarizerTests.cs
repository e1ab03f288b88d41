using System.Text.Json;
using NeuralNet.Preprocessing;

namespace NeuralNet.Tests.Reference;

/// <summary>label_binarize and MultiLabelBinarizer against scikit-learn's outputs in Data/sklearn_binarizers.json.</summary>
public class SklearnBinarizerTests
{
    private static readonly Lazy<JsonElement> Root = new(() =>
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Data", "sklearn_binarizers.json");
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.Clone();
    });

    public static TheoryData<string> BinarizeCases => [.. Root.Value.GetProperty("label_binarize").EnumerateArray().Select(c => c.GetProperty("name").GetString()!)];

    public static TheoryData<string> MultiLabelCases => [.. Root.Value.GetProperty("multilabel_binarizer").EnumerateArray().Select(c => c.GetProperty("name").GetString()!)];

    private static JsonElement Find(string list, string name)
        => Root.Value.GetProperty(list).EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    private static bool IsText(JsonElement array) => array.EnumerateArray().First().ValueKind == JsonValueKind.String;

    private static T[] List<T>(JsonElement array, Func<JsonElement, T> read) => [.. array.EnumerateArray().Select(read)];

    private static int[,] IntMatrix(JsonElement rows)
    {
        int[][] r = [.. rows.EnumerateArray().Select(row => List(row, e => e.GetInt32()))];
        var m = new int[r.Length, r.Length == 0 ? 0 : r[0].Length];
        for (int i = 0; i < r.Length; i++)
        {
            for (int j = 0; j < r[i].Length; j++)
            {
                m[i, j] = r[i][j];
            }
        }

        return m;
    }

    private static void AssertMatrix(JsonElement expected, double[,] actual)
    {
        int[,] e = IntMatrix(expected);
        Assert.Equal((e.GetLength(0), e.GetLength(1)), (actual.GetLength(0), actual.GetLength(1)));
        for (int i = 0; i < e.GetLength(0); i++)
        {
            for (int j = 0; j < e.GetLength(1); j++)
            {
                Assert.Equal(e[i, j], actual[i, j]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(BinarizeCases))]
    public void LabelBinarizeMatchesScikitLearn(string name)
    {
        JsonElement c = Find("label_binarize", name);
        double neg = c.GetProperty("neg").GetDouble(), pos = c.GetProperty("pos").GetDouble();
        JsonElement classes = c.GetProperty("classes"), y = c.GetProperty("y");
        bool indicator = c.GetProperty("kind").GetString() == "indicator";
        Func<double[,]> run = (indicator, IsText(classes)) switch
        {
            (true, true) => () => LabelBinarize.Transform(IntMatrix(y), List(classes, e => e.GetString()!), neg, pos),
            (true, false) => () => LabelBinarize.Transform(IntMatrix(y), List(classes, e => e.GetInt32()), neg, pos),
            (false, true) => () => LabelBinarize.Transform(List(y, e => e.GetString()!), List(classes, e => e.GetString()!), neg, pos),
            (false, false) => () => LabelBinarize.Transform(List(y, e => e.GetInt32()), List(classes, e => e.GetInt32()), neg, pos),
        };

        if (c.TryGetProperty("error", out _))
        {
            Assert.Throws<ArgumentException>(() => run());
        }
        else
        {
            AssertMatrix(c.GetProperty("expected"), run());
        }
    }

    [Theory]
    [MemberData(nameof(MultiLabelCases))]
    public void MultiLabelBinarizerMatchesScikitLearn(string name)
    {
        JsonElement c = Find("multilabel_binarizer", name);
        if (IsText(c.GetProperty("classes_")))
        {
            Check(c, e => e.GetString()!);
        }
        else
        {
            Check(c, e => e.GetInt32());
        }
    }

    private static void Check<T>(JsonElement c, Func<JsonElement, T> read)
        where T : notnull
    {
        T[][] Samples(JsonElement rows) => [.. rows.EnumerateArray().Select(r => List(r, read))];
        T[]? classes = c.GetProperty("classes").ValueKind == JsonValueKind.Null ? null : List(c.GetProperty("classes"), read);
        T[][] fit = Samples(c.GetProperty("fit"));
        T[][] data = c.TryGetProperty("transform", out JsonElement t) ? Samples(t) : fit;
        bool warned = c.GetProperty("warned").GetArrayLength() > 0;

        // Default: unknown labels are refused; scikit-learn's dropping (with a warning) is opt-in.
        var strict = new MultiLabelBinarizer<T>(classes);
        strict.Fit(fit);
        if (warned)
        {
            var e = Assert.Throws<ArgumentException>(() => strict.Transform(data));
            Assert.Contains("Unknown class", e.Message, StringComparison.Ordinal);
        }

        var mlb = new MultiLabelBinarizer<T>(classes, ignoreUnknown: true);
        int[,] actual = c.TryGetProperty("transform", out _) ? mlb.Fit(fit).Transform(data) : mlb.FitTransform(fit);
        Assert.Equal(List(c.GetProperty("classes_"), read), mlb.Classes);
        Assert.Equal(IntMatrix(c.GetProperty("expected")), actual);
        Assert.Equal(warned, mlb.IgnoredLabels.Count > 0);
        if (warned)
        {
            // scikit-learn's warning lists the ignored labels, e.g. "unknown class(es) [5, 7] will be ignored".
            string message = c.GetProperty("warned")[0].GetString()!;
            Assert.All(mlb.IgnoredLabels, l => Assert.Contains(l.ToString()!, message, StringComparison.Ordinal));
        }

        T[][] inverse = mlb.InverseTransform(actual);
        T[][] expectedInverse = [.. c.GetProperty("inverse").EnumerateArray().Select(r => List(r, read))];
        Assert.Equal(expectedInverse, inverse);
    }

    [Fact]
    public void MultiLabelBinarizerRefusesDuplicateClassesAndNonBinaryIndicators()
    {
        Assert.Throws<ArgumentException>(() => new MultiLabelBinarizer<int>([1, 2, 1]));
        var mlb = new MultiLabelBinarizer<int>().Fit([[1, 2], [3]]);
        Assert.Throws<ArgumentException>(() => mlb.InverseTransform(new int[,] { { 0, 2, 1 } }));
        Assert.Throws<ArgumentException>(() => mlb.InverseTransform(new int[,] { { 0, 1 } }));
        Assert.Throws<ArgumentException>(() => LabelBinarize.Transform(new int[,] { { 0, 2 }, { 1, 0 } }, [0, 1]));
        Assert.Throws<ArgumentException>(() => LabelBinarize.Transform(new int[,] { { 0 }, { 1 } }, [0]));
        Assert.Throws<ArgumentException>(() => LabelBinarize.Transform([0.5, 1.0], [0.5, 1.0]));
    }
}
