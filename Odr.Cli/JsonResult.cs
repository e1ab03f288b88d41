using System.Text;
using System.Text.Json;

namespace Odr.Cli;

/// <summary>The fit result as JSON with scipy.odr's field names.</summary>
public static class JsonResult
{
    // Counts documents written by this thread, so a test can pin that no JSON is built unless --json asks for it.
    [ThreadStatic]
    private static int documentsWritten;

    /// <summary>How many JSON documents this thread has written (a test hook).</summary>
    internal static int DocumentsWrittenOnThisThread => documentsWritten;

    /// <summary>Serializes an output to a string (small results; files and stdout are written with <see cref="Write"/>).</summary>
    /// <param name="output">The fit result.</param>
    /// <param name="parameterNames">B0, B1, ...</param>
    /// <param name="inputs">Input column names.</param>
    /// <param name="responses">Response column names (empty for an implicit fit).</param>
    /// <param name="models">The formulas.</param>
    /// <param name="inference">Intervals, goodness of fit and predictions; null for Wald intervals at 95 % only.</param>
    public static string Serialize(Output output, IReadOnlyList<string> parameterNames, IReadOnlyList<string> inputs, IReadOnlyList<string> responses, IReadOnlyList<string> models,
        InferenceReport? inference = null)
    {
        using var stream = new MemoryStream();
        Write(stream, output, parameterNames, inputs, responses, models, inference);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Writes an output as JSON to a stream as it goes, so the per-observation arrays are never held as text.</summary>
    /// <param name="stream">Where to write (UTF-8).</param>
    /// <param name="output">The fit result.</param>
    /// <param name="parameterNames">B0, B1, ...</param>
    /// <param name="inputs">Input column names.</param>
    /// <param name="responses">Response column names (empty for an implicit fit).</param>
    /// <param name="models">The formulas.</param>
    /// <param name="inference">Intervals, goodness of fit and predictions; null for Wald intervals at 95 % only.</param>
    public static void Write(Stream stream, Output output, IReadOnlyList<string> parameterNames, IReadOnlyList<string> inputs, IReadOnlyList<string> responses, IReadOnlyList<string> models,
        InferenceReport? inference = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        inference ??= InferenceReport.WaldOnly(output);
        documentsWritten++;
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            Vector(w, "beta", output.Beta);
            Vector(w, "sd_beta", output.SdBeta);
            Matrix(w, "cov_beta", output.CovBeta, squeeze: false);
            Matrix(w, "delta", output.Delta, squeeze: true);
            Matrix(w, "eps", output.Eps, squeeze: true);
            Matrix(w, "xplus", output.XPlus, squeeze: true);
            Matrix(w, "y", output.Y, squeeze: true);
            Number(w, "res_var", output.ResVar);
            Number(w, "sum_square", output.SumSquare);
            Number(w, "sum_square_delta", output.SumSquareDelta);
            Number(w, "sum_square_eps", output.SumSquareEps);
            Number(w, "inv_condnum", output.InvCondnum);
            Number(w, "rel_error", output.RelError);
            w.WriteNumber("info", output.Info);
            w.WriteStartArray("stopreason");
            foreach (var reason in output.StopReason) w.WriteStringValue(reason);
            w.WriteEndArray();
            w.WriteNumber("iterations", output.Iterations);
            w.WriteNumber("nfev", output.FunctionEvaluations);
            w.WriteNumber("njev", output.JacobianEvaluations);
            w.WriteStartArray("confidence_intervals");
            foreach (var (lower, upper) in inference.Intervals) Pair(w, lower, upper);
            w.WriteEndArray();
            w.WriteString("ci_method", inference.Method);
            w.WriteNumber("ci_level", inference.Level);
            // Per parameter: null, or the bound it ended on (Output.Status).
            w.WriteStartArray("at_bound");
            for (int k = 0; k < output.Beta.Length; k++)
            {
                if (FitRunner.BoundName(output, k) is { } side) w.WriteStringValue(side);
                else w.WriteNullValue();
            }
            w.WriteEndArray();
            w.WriteBoolean("converged", output.Converged);
            w.WriteNumber("degrees_of_freedom", output.DegreesOfFreedom);
            Inference(w, inference);
            Strings(w, "parameters", parameterNames);
            Strings(w, "inputs", inputs);
            Strings(w, "responses", responses);
            Strings(w, "models", models);
            w.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
        stream.Flush();
    }

    /// <summary>goodness_of_fit {chi2, dof, p_value, reduced_chi2}, log_likelihood, aic, bic (null where
    /// not defined: implicit fits, no degrees of freedom; p_value null with relative weights) and
    /// predictions [{x, y, ci, pi}].</summary>
    private static void Inference(Utf8JsonWriter w, InferenceReport inference)
    {
        if (inference.Goodness is { } g)
        {
            w.WriteStartObject("goodness_of_fit");
            Number(w, "chi2", g.ChiSquare);
            w.WriteNumber("dof", g.DegreesOfFreedom);
            Number(w, "p_value", g.PValue ?? double.NaN);
            Number(w, "reduced_chi2", g.ReducedChiSquare);
            w.WriteEndObject();
            Number(w, "log_likelihood", g.LogLikelihood);
            Number(w, "aic", g.Aic);
            Number(w, "bic", g.Bic);
        }
        else
        {
            w.WriteNull("goodness_of_fit");
            w.WriteNull("log_likelihood");
            w.WriteNull("aic");
            w.WriteNull("bic");
        }
        w.WriteStartArray("predictions");
        foreach (var prediction in inference.Predictions)
        {
            w.WriteStartObject();
            Number(w, "x", prediction.X[0]);
            Number(w, "y", prediction.Value);
            w.WritePropertyName("ci");
            Pair(w, prediction.ConfidenceLower, prediction.ConfidenceUpper);
            w.WritePropertyName("pi");
            Pair(w, prediction.PredictionLower, prediction.PredictionUpper);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void Pair(Utf8JsonWriter w, double lower, double upper)
    {
        w.WriteStartArray();
        Value(w, lower);
        Value(w, upper);
        w.WriteEndArray();
    }

    // Utf8JsonWriter holds everything until flushed: flush every 64 KB so memory stays flat whatever n is.
    private static void FlushIfFull(Utf8JsonWriter w)
    {
        if (w.BytesPending > 1 << 16) w.Flush();
    }

    private static void Strings(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        w.WritePropertyName(name);
        Value(w, value);
    }

    // JSON has no NaN or infinity: they are written as null.
    private static void Value(Utf8JsonWriter w, double value)
    {
        if (double.IsFinite(value)) w.WriteNumberValue(value);
        else w.WriteNullValue();
    }

    private static void Vector(Utf8JsonWriter w, string name, double[] values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            Value(w, v);
            FlushIfFull(w);
        }
        w.WriteEndArray();
    }

    /// <summary>A [rows, cols] array as nested arrays; with squeeze, one row is written as a flat array (scipy's shape).</summary>
    private static void Matrix(Utf8JsonWriter w, string name, double[,] values, bool squeeze)
    {
        int rows = values.GetLength(0), cols = values.GetLength(1);
        w.WriteStartArray(name);
        if (squeeze && rows == 1)
        {
            for (int c = 0; c < cols; c++)
            {
                Value(w, values[0, c]);
                FlushIfFull(w);
            }
        }
        else
        {
            for (int r = 0; r < rows; r++)
            {
                w.WriteStartArray();
                for (int c = 0; c < cols; c++)
                {
                    Value(w, values[r, c]);
                    FlushIfFull(w);
                }
                w.WriteEndArray();
            }
        }
        w.WriteEndArray();
    }
}
