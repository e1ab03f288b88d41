using System.Globalization;
using Odr.Core;

namespace Odr;

/// <summary>The array arguments that take one of scipy.odr's shapes, each with its own set of
/// accepted <see cref="ArgumentShapes.Layout"/>s.</summary>
internal enum ShapedArgument
{
    /// <summary>we, wd, and sx, sy once squared and inverted: weights on one variable's errors.</summary>
    Weights,

    /// <summary>covx, covy: covariances of one variable's errors.</summary>
    Covariance,

    /// <summary>fix (Data), ifixx (ODR): 0 where an input is exact.</summary>
    Fix,

    /// <summary>stpd, scld: finite-difference steps and scales of delta, one per input.</summary>
    PerInputSetting,

    /// <summary>delta0: the starting errors in x, the shape of x.</summary>
    Delta0,

    /// <summary>rxy: the correlation of the x and y errors of one input and one response.</summary>
    Correlation,
}

/// <summary>
/// The one place that reads scipy.odr's array arguments by their shape: which shapes each argument
/// accepts, what each shape means, the normalized form it becomes, and the one error message for a
/// shape that is not accepted ("<c>name has shape (…); expected a scalar, (5,) or (2, 5).</c>",
/// naming the argument and the shapes it takes for this data).
/// </summary>
/// <remarks>
/// <para>d is the number of variables the argument describes (m for x's side: wd, sx, covx, fix,
/// ifixx, stpd, scld, delta0; q for y's side: we, sy, covy) and n the number of observations.
/// Accepted shapes (checked in this order, so that for d = n a square matrix is a shared matrix):</para>
/// <code>
/// argument           ()   (n,)*  (d,)   (d, d)**  (d, n)  (d, d, n)  (d, d, 1)
/// we wd sx sy        yes  yes    yes    yes       yes     yes        yes
/// covx covy          -    yes    (1,)*  yes       -       yes        -
/// fix ifixx          -    yes    yes    -         yes     -          -
/// stpd scld          yes  yes    yes    -         yes     -          -
/// delta0             -    yes    -      -         yes     -          -
/// rxy                yes  yes    (1,)*  -         -       -          -
/// </code>
/// <para>* only for one variable (d = 1); (1,) is then one value shared by all observations.
/// ** for d = 1 only when n = 1 (a (1, 1) matrix for n &gt; 1 is refused, as ODRPACK's LDWE/LD2WE
/// rules give it no meaning). Normalized forms: per-variable arguments become n·d values
/// observation-major (variable j of observation i at [i*d + j]); weights become
/// <see cref="BlockWeights"/> (diagonal or full, shared or per observation).</para>
/// </remarks>
internal static class ArgumentShapes
{
    /// <summary>What a shape means.</summary>
    [Flags]
    internal enum Layout
    {
        /// <summary>Not accepted.</summary>
        None = 0,

        /// <summary>(): one value for every variable and observation.</summary>
        Scalar = 1,

        /// <summary>(n,) with one variable: one value per observation.</summary>
        PerObservation = 2,

        /// <summary>(d,): one value per variable, shared by the observations.</summary>
        PerVariable = 4,

        /// <summary>(d, d): one matrix shared by the observations.</summary>
        SharedMatrix = 8,

        /// <summary>(d, n): one value per variable and observation.</summary>
        VariableByObservation = 16,

        /// <summary>(d, d, n): one matrix per observation.</summary>
        MatrixPerObservation = 32,

        /// <summary>(d, d, 1): one matrix, given with a trailing observation axis of 1.</summary>
        MatrixSharedByAxis = 64,
    }

    /// <summary>The shapes <paramref name="argument"/> accepts (the table of the class remarks).</summary>
    internal static Layout Accepted(ShapedArgument argument, int dim) => argument switch
    {
        ShapedArgument.Weights => Layout.Scalar | Layout.PerObservation | Layout.PerVariable | Layout.SharedMatrix
            | Layout.VariableByObservation | Layout.MatrixPerObservation | Layout.MatrixSharedByAxis,
        ShapedArgument.Covariance => Layout.PerObservation | (dim == 1 ? Layout.PerVariable : Layout.None) | Layout.SharedMatrix | Layout.MatrixPerObservation,
        ShapedArgument.Fix => Layout.PerObservation | Layout.PerVariable | Layout.VariableByObservation,
        ShapedArgument.PerInputSetting => Layout.Scalar | Layout.PerObservation | Layout.PerVariable | Layout.VariableByObservation,
        ShapedArgument.Delta0 => Layout.PerObservation | Layout.VariableByObservation,
        ShapedArgument.Correlation => Layout.Scalar | Layout.PerObservation | (dim == 1 ? Layout.PerVariable : Layout.None),
        _ => Layout.None,
    };

    /// <summary>What <paramref name="a"/>'s shape means for <paramref name="argument"/> with
    /// <paramref name="dim"/> variables and <paramref name="n"/> observations.</summary>
    /// <exception cref="ArgumentException">The shape is not one the argument accepts; the message
    /// names the argument, its shape and the accepted shapes.</exception>
    internal static Layout Classify(NdArray a, ShapedArgument argument, int dim, int n, string name)
    {
        var accepted = Accepted(argument, dim);
        var layout = Match(a, accepted, dim, n);
        if (layout == Layout.None) throw ShapeError(a, accepted, dim, n, name);
        return layout;
    }

    private static Layout Match(NdArray a, Layout accepted, int dim, int n)
    {
        var s = a.Shape;
        Layout Take(Layout l) => (accepted & l) != 0 ? l : Layout.None;
        switch (a.Rank)
        {
            case 0:
                return Take(Layout.Scalar);
            case 1:
                if (dim == 1 && s[0] == n && Take(Layout.PerObservation) != Layout.None) return Layout.PerObservation;
                return s[0] == dim ? Take(Layout.PerVariable) : Layout.None;
            case 2:
                if (s[0] == dim && s[1] == dim && (dim > 1 || n == 1) && Take(Layout.SharedMatrix) != Layout.None) return Layout.SharedMatrix;
                return s[0] == dim && s[1] == n ? Take(Layout.VariableByObservation) : Layout.None;
            case 3:
                if (s[0] != dim || s[1] != dim) return Layout.None;
                if (s[2] == n && Take(Layout.MatrixPerObservation) != Layout.None) return Layout.MatrixPerObservation;
                return s[2] == 1 ? Take(Layout.MatrixSharedByAxis) : Layout.None;
            default:
                return Layout.None;
        }
    }

    /// <summary>The one error for a shape that is not accepted: the argument, its shape, and the
    /// shapes it takes with this data's sizes.</summary>
    internal static ArgumentException ShapeError(NdArray a, Layout accepted, int dim, int n, string name)
    {
        var options = new List<string>();
        string Shape(params int[] dims) => dims.Length == 1
            ? string.Create(CultureInfo.InvariantCulture, $"({dims[0]},)")
            : "(" + string.Join(", ", dims.Select(d => d.ToString(CultureInfo.InvariantCulture))) + ")";
        if ((accepted & Layout.Scalar) != 0) options.Add("a scalar");
        if ((accepted & Layout.PerObservation) != 0 && dim == 1) options.Add(Shape(n));
        // With one variable (1,) means the same as a scalar; listed only where there is no scalar.
        if ((accepted & Layout.PerVariable) != 0 && (dim > 1 || (accepted & Layout.Scalar) == 0)) options.Add(Shape(dim));
        if ((accepted & Layout.SharedMatrix) != 0 && (dim > 1 || n == 1)) options.Add(Shape(dim, dim));
        if ((accepted & Layout.VariableByObservation) != 0) options.Add(Shape(dim, n));
        if ((accepted & Layout.MatrixPerObservation) != 0) options.Add(Shape(dim, dim, n));
        if ((accepted & Layout.MatrixSharedByAxis) != 0 && n != 1) options.Add(Shape(dim, dim, 1));
        options = options.Distinct().ToList();
        string list = options.Count == 1 ? options[0] : string.Join(", ", options.Take(options.Count - 1)) + " or " + options[^1];
        return new ArgumentException($"{name} has shape {a.ShapeText}; expected {list}.", name);
    }

    /// <summary>A per-variable argument (fix, ifixx, stpd, scld, delta0) as n·d values,
    /// observation-major: a scalar or (d,) broadcast over the observations.</summary>
    internal static double[] ObservationMajor(NdArray a, Layout layout, int dim, int n)
    {
        var result = new double[n * dim];
        switch (layout)
        {
            case Layout.Scalar:
                ArrayLoops.Fill(result, a[0]);
                break;
            case Layout.PerObservation:
                a.Values.CopyTo(result);
                break;
            case Layout.PerVariable:
                for (int i = 0; i < n; i++)
                {
                    for (int j = 0; j < dim; j++) result[i * dim + j] = a[j];
                }
                break;
            case Layout.VariableByObservation:
                result = Data.ToObservationMajor(a, dim, n);
                break;
            default:
                throw new InvalidOperationException($"{layout} is not a per-variable layout.");
        }
        return result;
    }

    /// <summary>Weights in any of their layouts as blocks per observation (not yet checked for sign,
    /// symmetry or definiteness).</summary>
    internal static BlockWeights Blocks(NdArray w, Layout layout, int dim, int n)
    {
        var v = w.Values;
        switch (layout)
        {
            case Layout.Scalar:
                return new BlockWeights(dim, true, true, BlockWeights.Filled(dim, v[0]));
            case Layout.PerObservation:
                return new BlockWeights(1, true, false, w.SharedValues); // read only, like the NdArray
            case Layout.PerVariable:
                return new BlockWeights(dim, true, true, v.ToArray());
            case Layout.SharedMatrix:
                return new BlockWeights(dim, false, true, v.ToArray());
            case Layout.VariableByObservation:
                return new BlockWeights(dim, true, false, Data.ToObservationMajor(w, dim, n));
            case Layout.MatrixPerObservation:
            case Layout.MatrixSharedByAxis:
                {
                    int blocks = w.Shape[2];
                    var values = new double[blocks * dim * dim];
                    for (int i = 0; i < blocks; i++)
                    {
                        for (int r = 0; r < dim; r++)
                        {
                            for (int c = 0; c < dim; c++) values[(i * dim + r) * dim + c] = v[(r * dim + c) * blocks + i];
                        }
                    }
                    return new BlockWeights(dim, false, blocks == 1, values);
                }
            default:
                throw new InvalidOperationException($"{layout} is not a weight layout.");
        }
    }
}
