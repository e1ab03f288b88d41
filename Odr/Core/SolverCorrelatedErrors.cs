namespace Odr.Core;

/// <summary>Correlated x–y errors (York et al. 2004) for the solver: see <see cref="ModelEvaluator.CorrectForCorrelatedErrors"/>.</summary>
internal sealed partial class Solver
{
    /// <summary>Hands the input's correlated-error slopes (if any) to the model evaluator, so that
    /// every model value and ∂f/∂z the solver sees carries the correction (the constructor calls it).
    /// Nothing changes when the input has none (then the fit is the uncorrelated one, bit
    /// for bit).</summary>
    private void ApplyCorrelatedErrors()
    {
        if (input.XyErrorSlopes is { } slopes) model.CorrectForCorrelatedErrors(x, slopes);
    }
}
