using System.Globalization;

namespace Odr;

/// <summary>The user's model (or one of its Jacobians) threw while the fit evaluated it.</summary>
public sealed class ModelEvaluationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="what">Which callback failed.</param>
    /// <param name="beta">The parameters at which it failed.</param>
    /// <param name="iteration">The iteration in progress (0 = setup).</param>
    /// <param name="inner">The exception the model threw.</param>
    public ModelEvaluationException(string what, ReadOnlySpan<double> beta, int iteration, Exception inner)
        : base(string.Create(CultureInfo.InvariantCulture, $"The {what} threw {inner.GetType().Name} at iteration {iteration}, beta = [{string.Join(", ", beta.ToArray().Select(b => b.ToString("G10", CultureInfo.InvariantCulture)))}]: {inner.Message}"), inner)
    {
        Beta = beta.ToArray();
        Iteration = iteration;
    }

    /// <summary>The parameters at which the model failed.</summary>
    public IReadOnlyList<double> Beta { get; }

    /// <summary>The iteration in progress when the model failed (0 = before the first iteration).</summary>
    public int Iteration { get; }
}
