using System.Runtime.InteropServices;
using Odr.Core;

namespace Odr;

/// <summary>Turns the solver's final snapshot into an immutable <see cref="Output"/> with scipy's conventions.</summary>
internal static class OutputBuilder
{
    public static Output Build(FitSnapshot s, Data data)
    {
        int n = s.N, m = s.M, q = s.Q, np = s.NP;
        int info = s.Info.Value;
        bool fatal = s.Info.IsFatal;
        bool noCovariance = fatal || s.Input.VarCalc == 2 || !s.DidCovariance;
        var beta = fatal ? s.StartBeta.ToArray() : s.Beta.ToArray();
        if (fatal && beta.All(b => b == 0)) beta = s.Beta.ToArray();
        var sd = new double[np];
        var cov = new double[np, np];
        if (!noCovariance)
        {
            s.Sd.CopyTo(sd);
            for (int a = 0; a < np; a++)
            {
                for (int b = 0; b < np; b++) cov[a, b] = s.Vcv[a * np + b];
            }
        }
        var delta = new double[m, n];
        var yfit = new double[q, n];
        var slopes = s.Input.XyErrorSlopes;
        bool isOdr = s.IsOdr;
        var deltaValues = s.Delta;
        var modelValues = s.ModelValues;
        void Fill(int i0, int i1)
        {
            var d = deltaValues.Span;
            var values = modelValues.Span;
            for (int i = i0; i < i1; i++)
            {
                if (isOdr)
                {
                    for (int j = 0; j < m; j++) delta[j, i] = d[i * m + j];
                }
                for (int l = 0; l < q; l++) yfit[l, i] = values[i * q + l];
                if (slopes is not null)
                {
                    // Correlated x–y errors: the solver's values carry c_i·(z − x_i) (ModelEvaluator);
                    // report f(β, x + δ) itself, taking off the same term computed the same way.
                    double xi = s.Input.X[i];
                    yfit[0, i] -= slopes[i] * ((xi + d[i]) - xi);
                }
            }
        }

        // Large outputs are filled in parallel: the first write to each fresh page of the new
        // arrays costs a page fault, and the faults of different threads proceed side by side.
        var chunks = ObservationChunks.For(n, s.Input.MaxDegreeOfParallelism);
        if (chunks.Count == 1)
        {
            Fill(0, n);
        }
        else
        {
            FillInParallel(chunks, s.Input.MaxDegreeOfParallelism, Fill);
        }

        DerivativeCheck? check = null;
        if (s.Input.Derivative == DerivativeKind.AnalyticChecked && s.Msgb.Length > 1)
        {
            var bc = new int[q, np];
            var xc = new int[q, m];
            var diff = new double[q, np + m];
            for (int l = 0; l < q; l++)
            {
                for (int k = 0; k < np; k++) bc[l, k] = s.Msgb[1 + l + k * q];
                for (int j = 0; j < m; j++) xc[l, j] = s.IsOdr && s.Msgd.Length > 1 ? s.Msgd[1 + l + j * q] : -1;
                for (int k = 0; k < np + m && l * (np + m) + k < s.DerivativeDifferences.Length; k++) diff[l, k] = s.DerivativeDifferences[l * (np + m) + k];
            }
            check = new DerivativeCheck
            {
                BetaSummary = s.Msgb[0],
                XSummary = s.IsOdr && s.Msgd.Length > 0 ? s.Msgd[0] : -1,
                BetaCodes = bc,
                XCodes = xc,
                Differences = diff,
                ToleranceDigits = s.Ntol,
                Row = s.CheckedRow,
            };
        }

        var output = new Output
        {
            Beta = Array.Empty<double>(), // both taken over below, without the initializers' copies
            SdBeta = Array.Empty<double>(),
            CovBeta = new ReadOnlyMatrix(cov),
            Delta = new ReadOnlyMatrix(delta),
            Y = new ReadOnlyMatrix(yfit),
            Source = data,
            IsImplicit = s.IsImplicit,
            ResVar = noCovariance ? 0 : s.ResidualVariance,
            SumSquare = s.WeightedSumOfSquares,
            SumSquareDelta = s.WeightedSumOfSquaresDelta,
            SumSquareEps = s.WeightedSumOfSquaresEps,
            InvCondnum = s.InverseConditionNumber,
            RelError = s.RelativeError,
            Info = info,
            StopReason = Output.StopReasons(info),
            Iterations = s.Iterations,
            FunctionEvaluations = s.FunctionEvaluations,
            JacobianEvaluations = s.JacobianEvaluations,
            RankDeficiency = s.RankDeficiency,
            Status = s.Status.ToArray(),
            DegreesOfFreedom = noCovariance ? 0 : s.DegreesOfFreedom,
            FunctionDigits = Math.Abs(s.Neta),
            DerivativeCheck = check,
        };

        // The two arrays were made here for this output alone: no second copy.
        output.TakeOver(beta, sd);
        return output;
    }

    /// <summary>Runs fill over the chunks on several threads. A method of its own so that a small fit,
    /// which fills in one pass, never loads System.Threading.Tasks.Parallel (a first fit paid for it).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void FillInParallel(ObservationChunks chunks, int maxDegreeOfParallelism, Action<int, int> fill)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism <= 0 ? -1 : maxDegreeOfParallelism };
        Parallel.For(0, chunks.Count, options, c => fill(chunks.Start(c), chunks.Start(c + 1)));
    }
}
