namespace Odr.Core;

/// <summary>The solver's scratch arrays: borrowed from <see cref="ScratchPool"/> for a Run or
/// Restart and given back once the caller has read the results. Each has one purpose.</summary>
internal sealed partial class Solver
{
    // Scratch, one array per purpose (ODRPACK shares WRK, WRK1, WRK2 … between several of these).
    private double[] omegaInverseFjacd = Array.Empty<double>(); // n*m*q: Ω⁻¹·fjacd per observation and input (ODRPACK: WRK1)
    private double[] stepRhs = Array.Empty<double>(); // n*q: the step's least-squares right-hand side, then Qᵀ·rhs and the packed step (ODRPACK: WRK2)
    private double[] trialResiduals = Array.Empty<double>(); // n*q: WE1·(fn − y) at the trial point, swapped with f when it is accepted
    private double[] gradient = Array.Empty<double>(); // npp + n*m: the scaled gradient of DODLM's first LM test (ODRPACK: WRK)
    private double[] laterInputTerms = Array.Empty<double>(); // terms of inputs 1 … m−1 waiting to be summed after input 0's (ScaledNorm, TrialPoint)
    private double[] laterResponseTerms = Array.Empty<double>(); // (q−1)*n: terms of responses 1 … q−1 of the linearized prediction, likewise
    private double[] differenceValues = Array.Empty<double>(); // n*q: model values at a shifted point (finite differences, noise estimate)
    private double[] centralPlusValues = Array.Empty<double>(); // n*q: model values at the forward point of a central difference
    private double[] inputSteps = Array.Empty<double>(); // n: the finite-difference steps in one input

    /// <summary>Takes the scratch arrays for a Run or Restart, unless they are still held
    /// from the previous call. Only the state a restart continues from (beta, delta, the last model
    /// values fn, and the Jacobians with VarCalc = 1) lives as long as the solver; the caller gives
    /// the rest back with <see cref="ReleaseScratch"/> once it has read the results. They are not
    /// cleared: the solver writes every element before it reads it, which ScratchPoolTests check
    /// by handing them out full of NaN or of a huge number.</summary>
    private void BorrowScratch()
    {
        if (scratchHeld) return;
        scratchHeld = true;
        scales.Delta = ScratchPool.Rent(n * m, zeroed: false);
        point.Values = ScratchPool.Rent(n * q, zeroed: false);
        point.TrialDelta = ScratchPool.Rent(n * m, zeroed: false);
        point.SavedDelta = ScratchPool.Rent(n * m, zeroed: false);
        point.DeltaStep = ScratchPool.Rent(n * m, zeroed: false);
        point.XPlusDelta = ScratchPool.Rent(n * m, zeroed: false);
        point.Residuals = ScratchPool.Rent(n * q, zeroed: false);
        tfjacb = ScratchPool.Rent(n * q * Math.Max(npp, 1), zeroed: false);
        if (!keepJacobians)
        {
            point.BetaJacobian = ScratchPool.Rent(n * q * np, zeroed: false);
            point.DeltaJacobian = ScratchPool.Rent(n * q * m, zeroed: false);
        }
        omegaInverseFjacd = ScratchPool.Rent(n * m * q, zeroed: false);
        stepRhs = ScratchPool.Rent(n * q, zeroed: false);
        trialResiduals = ScratchPool.Rent(n * q, zeroed: false);
        gradient = ScratchPool.Rent(npp + (n * m), zeroed: false);
        if (m > 1) laterInputTerms = ScratchPool.Rent((fusesInputs ? 2 : 1) * (m - 1) * n, zeroed: false);
        if (q > 1) laterResponseTerms = ScratchPool.Rent((q - 1) * n, zeroed: false);
        differenceValues = ScratchPool.Rent(n * q, zeroed: false);
        if (central) centralPlusValues = ScratchPool.Rent(n * q, zeroed: false);
        inputSteps = ScratchPool.Rent(n, zeroed: false);
    }

    /// <summary>Gives the scratch arrays back to the pool (after the caller has read the model values,
    /// the deltas' scales and the reports of the last Run/Restart). The solver can still restart.</summary>
    public void ReleaseScratch()
    {
        if (!scratchHeld) return;
        scratchHeld = false;
        GiveBack(ref scales.Delta);
        GiveBack(ref point.Values);
        GiveBack(ref point.TrialDelta);
        GiveBack(ref point.SavedDelta);
        GiveBack(ref point.DeltaStep);
        GiveBack(ref point.XPlusDelta);
        GiveBack(ref point.Residuals);
        GiveBack(ref tfjacb);
        GiveBack(ref omegaInverseFjacd);
        GiveBack(ref stepRhs);
        GiveBack(ref trialResiduals);
        GiveBack(ref gradient);
        GiveBack(ref laterInputTerms);
        GiveBack(ref laterResponseTerms);
        GiveBack(ref differenceValues);
        GiveBack(ref centralPlusValues);
        GiveBack(ref inputSteps);
        if (!keepJacobians)
        {
            GiveBack(ref point.BetaJacobian);
            GiveBack(ref point.DeltaJacobian);
        }
        if (chunkScratch is not null)
        {
            foreach (var chunk in chunkScratch) chunk.Release();
            chunkScratch = null;
        }
        serialDifferenceScratch?.Release();
        serialDifferenceScratch = null;

        static void GiveBack(ref double[] array)
        {
            ScratchPool.Return(array);
            array = Array.Empty<double>();
        }
    }
}
