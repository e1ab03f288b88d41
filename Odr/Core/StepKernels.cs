using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Odr.Core;

/// <summary>
/// DODSTP's per-observation passes. Each observation's delta block is eliminated in closed form:
/// E = WD + lm·diag(tt²) (m×m) and Omega = I + V E⁻¹ Vᵀ (q×q, V = fjacd of the observation) are
/// factored, and the observation contributes q rows to the reduced n·q × p problem. The kernels are
/// written once over <see cref="ILane{TSelf}"/> and run on several observations at a time in SIMD
/// registers; every lane does the scalar code's IEEE operations in the scalar code's order, so the
/// result is the same to the bit whichever width ran (and equals ODRPACK's DESUBI/DFCTR/DSOLVE
/// sequence: once E and Omega factor they are positive definite, so DSOLVE's zero-pivot branches
/// never apply).
/// </summary>
internal sealed partial class Solver
{
    /// <summary>Largest scratch (in bundles) a SIMD kernel puts on the stack; bigger blocks (m or q
    /// in the tens) run one observation at a time with heap scratch.</summary>
    private const int MaxStackLanes = 192;

    /// <summary>Scratch per bundle: E (m²), Omega (q²), V E^-T/2 (q·m), two m-vectors, a q-vector.</summary>
    private static int LaneScratchLength(int m, int q) => (m * m) + (q * q) + (q * m) + (2 * m) + q;

    /// <summary>Whether the SIMD kernels may run (always, except when a test compares against the
    /// one-observation kernels).</summary>
    private bool SimdKernels => input.SimdKernels && LaneScratchLength(m, q) <= MaxStackLanes;

    /// <summary>Whether the kernels for one input and one response (1×1 blocks) run.</summary>
    private bool OneByOne => m == 1 && q == 1 && input.OneByOneKernels;

    /// <summary>DODSTP's first pass over observations [i0, i1).</summary>
    private bool StepRows(int i0, int i1, double lm, int kp, ChunkScratch w) =>
        RunBundles(new RowsKernel(lm, kp), i0, i1, w);

    /// <summary>DODSTP's second pass over observations [i0, i1): the delta step t from the beta step s.</summary>
    private bool StepDeltas(int i0, int i1, double lm, ChunkScratch w) =>
        RunBundles(new DeltasKernel(lm), i0, i1, w);

    /// <summary>Runs a per-observation kernel over [i0, i1): for a problem of at least
    /// <see cref="SolverInput.WideLanesMinObservations"/> observations whole bundles of 8 (AVX-512)
    /// or 4 (AVX2) observations first, then the rest one at a time. False as soon as a bundle fails.
    /// Below that size every observation runs in the one-observation kernels, whose ReadyToRun code a
    /// first fit uses as it is (the bundles' code is JIT-compiled on first use); the bits are the
    /// same either way.</summary>
    private bool RunBundles<TKernel>(TKernel kernel, int i0, int i1, ChunkScratch w)
        where TKernel : struct, IObservationKernel
    {
        int i = i0;
        if (SimdKernels && SimdWidths.Wide && n >= input.WideLanesMinObservations && !RunWideBundles(kernel, ref i, i1)) return false;
        var one = MemoryMarshal.Cast<double, Lane1>(w.Lanes.AsSpan());
        for (; i < i1; i++)
        {
            if (!kernel.Run(this, i, one)) return false;
        }
        return true;
    }

    /// <summary>The whole bundles of 8 or 4 observations from i on; i is left at the first
    /// observation not run. A method of its own: its vector code is what ReadyToRun cannot keep.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool RunWideBundles<TKernel>(TKernel kernel, ref int i, int i1)
        where TKernel : struct, IObservationKernel
    {
        int need = LaneScratchLength(m, q);
        if (Lane8.IsAccelerated && i1 - i >= Lane8.Count)
        {
            Span<Lane8> work = stackalloc Lane8[need];
            for (; i + Lane8.Count <= i1; i += Lane8.Count)
            {
                if (!kernel.Run(this, i, work)) return false;
            }
        }
        else if (Lane4.IsAccelerated && i1 - i >= Lane4.Count)
        {
            Span<Lane4> work = stackalloc Lane4[need];
            for (; i + Lane4.Count <= i1; i += Lane4.Count)
            {
                if (!kernel.Run(this, i, work)) return false;
            }
        }
        return true;
    }

    /// <summary>A per-observation pass, generic in the bundle width (a struct, so each width is
    /// compiled with the kernel inlined).</summary>
    private interface IObservationKernel
    {
        bool Run<TL>(Solver solver, int i, Span<TL> work)
            where TL : unmanaged, ILane<TL>;
    }

    private readonly struct RowsKernel(double lm, int kp) : IObservationKernel
    {
        public bool Run<TL>(Solver solver, int i, Span<TL> work)
            where TL : unmanaged, ILane<TL> => solver.StepRowsLanes(i, lm, kp, work);
    }

    private readonly struct DeltasKernel(double lm) : IObservationKernel
    {
        public bool Run<TL>(Solver solver, int i, Span<TL> work)
            where TL : unmanaged, ILane<TL> => solver.StepDeltasLanes(i, lm, work);
    }

    /// <summary>
    /// The first pass for the observations i .. i + L − 1 of one bundle: t = WD·delta, the factors
    /// of E and Omega, omegaInverseFjacd = Omega⁻¹·fjacd, and the observations' rows of the reduced problem
    /// (Omega^-T/2 fjacb / ss into tfjacb, Omega^-T/2 (fjacd E⁻¹ WD delta − f) into stepRhs).
    /// False when E or Omega does not factor.
    /// </summary>
    private bool StepRowsLanes<TL>(int i, double lm, int kp, Span<TL> work)
        where TL : unmanaged, ILane<TL>
    {
        if (OneByOne) return StepRowsOneByOne<TL>(i, lm, kp);
        int ld = n * q, qm = q * m;
        int im = i * m, jd0 = i * qm, jb0 = i * q * np, iq = i * q;
        var e = work.Slice(0, m * m);
        var omega = work.Slice(m * m, q * q);
        var veRows = work.Slice((m * m) + (q * q), qm);
        var vecM = work.Slice((m * m) + (q * q) + qm, m);
        var vec = work.Slice((m * m) + (q * q) + qm + (2 * m), q);

        // t holds WD·delta for the right-hand side; vecM starts as a copy of it.
        for (int r = 0; r < m; r++)
        {
            TL v;
            if (wd.IsDiagonal)
            {
                v = WdEntry<TL>(i, r) * TL.Load(point.Delta, im + r, m);
            }
            else
            {
                v = TL.Zero;
                for (int c = 0; c < m; c++) v += WdEntry<TL>(i, (r * m) + c) * TL.Load(point.Delta, im + c, m);
            }
            TL.Store(point.DeltaStep, im + r, m, v);
            vecM[r] = v;
        }

        if (!FactorE(i, lm, e)) return false;

        // Omega = I + V E^-1 Vᵀ with V = fjacd of the observations (q×m each).
        for (int c = 0; c < qm; c++) veRows[c] = TL.Load(point.DeltaJacobian, jd0 + c, qm);
        for (int l = 0; l < q; l++) SolveTransposed(e, m, veRows.Slice(l * m, m));
        for (int l1 = 0; l1 < q; l1++)
        {
            for (int l2 = 0; l2 <= l1; l2++)
            {
                TL d = TL.Zero;
                for (int j = 0; j < m; j++) d += veRows[(l1 * m) + j] * veRows[(l2 * m) + j];
                omega[(l1 * q) + l2] = d;
                omega[(l2 * q) + l1] = d;
            }
            omega[(l1 * q) + l1] += TL.Broadcast(1.0);
        }
        if (!Factor(omega, q)) return false;

        // omegaInverseFjacd(i, :, j) = Omega^-1 fjacd(i, j, :).
        for (int j = 0; j < m; j++)
        {
            for (int l = 0; l < q; l++) vec[l] = TL.Load(point.DeltaJacobian, jd0 + (l * m) + j, qm);
            SolveTransposed(omega, q, vec);
            Solve(omega, q, vec);
            for (int l = 0; l < q; l++) TL.Store(omegaInverseFjacd, ((im + j) * q) + l, qm, vec[l]);
        }

        // vecM = E^-1 (WD delta)_i.
        SolveTransposed(e, m, vecM);
        Solve(e, m, vecM);

        // Rows of the reduced problem: Omega^-T/2 fjacb scaled by 1/ss.
        for (int k = 0; k < kp; k++)
        {
            int col = kpvt[k];
            for (int l = 0; l < q; l++) vec[l] = TL.Load(point.BetaJacobian, jb0 + (l * np) + col, q * np);
            SolveTransposed(omega, q, vec);
            var scale = TL.Broadcast(scales.Packed[col]);
            for (int l = 0; l < q; l++) TL.Store(tfjacb, (k * ld) + (l * n) + i, 1, vec[l] / scale);
        }

        for (int l = 0; l < q; l++)
        {
            TL v = TL.Zero;
            for (int j = 0; j < m; j++) v += TL.Load(point.DeltaJacobian, jd0 + (l * m) + j, qm) * vecM[j];
            vec[l] = v - TL.Load(point.Residuals, iq + l, q);
        }
        SolveTransposed(omega, q, vec);
        for (int l = 0; l < q; l++) TL.Store(stepRhs, (l * n) + i, 1, vec[l]);
        return true;
    }

    /// <summary>The second pass for one bundle: t = −E⁻¹ (WD delta + fjacdᵀ Omega⁻¹ (f + fjacb s − fjacd E⁻¹ WD delta)).</summary>
    private bool StepDeltasLanes<TL>(int i, double lm, Span<TL> work)
        where TL : unmanaged, ILane<TL>
    {
        if (OneByOne) return StepDeltasOneByOne<TL>(i, lm);
        int qm = q * m, im = i * m, iq = i * q;
        var e = work.Slice(0, m * m);
        var vecM = work.Slice((m * m) + (q * q) + qm, m);
        var ti = work.Slice((m * m) + (q * q) + qm + m, m);
        var r = work.Slice((m * m) + (q * q) + qm + (2 * m), q);

        if (!FactorE(i, lm, e)) return false;
        for (int j = 0; j < m; j++) vecM[j] = TL.Load(point.DeltaStep, im + j, m);
        SolveTransposed(e, m, vecM);
        Solve(e, m, vecM);
        for (int l = 0; l < q; l++)
        {
            int row = iq + l;
            TL v = TL.Load(point.Residuals, row, q);
            for (int k = 0; k < npp; k++) v += TL.Load(point.BetaJacobian, (row * np) + k, q * np) * TL.Broadcast(point.Step[k]);
            for (int j = 0; j < m; j++) v -= TL.Load(point.DeltaJacobian, (row * m) + j, qm) * vecM[j];
            r[l] = v;
        }
        for (int j = 0; j < m; j++)
        {
            TL wv = TL.Zero;
            for (int l = 0; l < q; l++) wv += TL.Load(omegaInverseFjacd, ((im + j) * q) + l, qm) * r[l];
            ti[j] = TL.Negate(wv + TL.Load(point.DeltaStep, im + j, m));
        }
        SolveTransposed(e, m, ti);
        Solve(e, m, ti);
        for (int j = 0; j < m; j++) TL.Store(point.DeltaStep, im + j, m, ti[j]);
        return true;
    }

    /// <summary>
    /// <see cref="StepRowsLanes{TL}"/> for one input and one response (m = q = 1, most fits), where
    /// every block is 1×1: the general kernel's IEEE operations in its order (the additions to zero
    /// that start its sums included, which matter for a −0), without its loops and scratch.
    /// </summary>
    private bool StepRowsOneByOne<TL>(int i, double lm, int kp)
        where TL : unmanaged, ILane<TL>
    {
        TL weight = WdEntry<TL>(i, 0);
        TL wdDelta = wd.IsDiagonal ? weight * TL.Load(point.Delta, i, 1) : TL.Zero + (weight * TL.Load(point.Delta, i, 1));
        TL.Store(point.DeltaStep, i, 1, wdDelta);

        if (!FactorOneByOne(EntryOfE(i, lm, weight), out TL e)) return false;

        // Omega = 1 + v², v = fjacd / e.
        TL fjacd = TL.Load(point.DeltaJacobian, i, 1);
        TL ve = fjacd / e;
        if (!FactorOneByOne((TL.Zero + (ve * ve)) + TL.Broadcast(1.0), out TL omega)) return false;

        TL.Store(omegaInverseFjacd, i, 1, fjacd / omega / omega);
        TL vecM = wdDelta / e / e;

        for (int k = 0; k < kp; k++)
        {
            int col = kpvt[k];
            TL row = TL.Load(point.BetaJacobian, (i * np) + col, np) / omega;
            TL.Store(tfjacb, (k * n) + i, 1, row / TL.Broadcast(scales.Packed[col]));
        }

        TL rhs = (TL.Zero + (fjacd * vecM)) - TL.Load(point.Residuals, i, 1);
        TL.Store(stepRhs, i, 1, rhs / omega);
        return true;
    }

    /// <summary><see cref="StepDeltasLanes{TL}"/> for m = q = 1, as <see cref="StepRowsOneByOne{TL}"/>.</summary>
    private bool StepDeltasOneByOne<TL>(int i, double lm)
        where TL : unmanaged, ILane<TL>
    {
        if (!FactorOneByOne(EntryOfE(i, lm, WdEntry<TL>(i, 0)), out TL e)) return false;
        TL deltaStep = TL.Load(point.DeltaStep, i, 1);
        TL vecM = deltaStep / e / e;
        TL r = TL.Load(point.Residuals, i, 1);
        for (int k = 0; k < npp; k++) r += TL.Load(point.BetaJacobian, (i * np) + k, np) * TL.Broadcast(point.Step[k]);
        r -= TL.Load(point.DeltaJacobian, i, 1) * vecM;
        TL t = TL.Negate((TL.Zero + (TL.Load(omegaInverseFjacd, i, 1) * r)) + deltaStep);
        TL.Store(point.DeltaStep, i, 1, t / e / e);
        return true;
    }

    /// <summary><see cref="FactorE{TL}"/>'s matrix for m = 1: E = WD + lm·tt².</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private TL EntryOfE<TL>(int i, double lm, TL weight)
        where TL : unmanaged, ILane<TL>
    {
        TL scale = TL.Load(scales.Delta, i, 1);
        return weight + (TL.Broadcast(lm) * (scale * scale));
    }

    /// <summary><see cref="Factor{TL}"/> for a 1×1 block: √(a − 0), false when the pivot fails.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool FactorOneByOne<TL>(TL entry, out TL factor)
        where TL : unmanaged, ILane<TL>
    {
        TL s = entry - TL.Zero;
        factor = TL.Sqrt(s);
        return !TL.AnyPivotFails(entry, s);
    }

    /// <summary>Entry idx of the WD block (diagonal: its diagonal) of the bundle's observations.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private TL WdEntry<TL>(int i, int idx)
        where TL : unmanaged, ILane<TL> =>
        wd.IsShared ? TL.Broadcast(wd.Values[idx]) : TL.Load(wd.Values, (i * wd.BlockSize) + idx, wd.BlockSize);

    /// <summary>DESUBI + DFCTR: E = WD_i + lm·diag(tt_i²), factored as RᵀR into e (row-major, upper).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool FactorE<TL>(int i, double lm, Span<TL> e)
        where TL : unmanaged, ILane<TL>
    {
        if (wd.IsDiagonal)
        {
            e.Clear();
            for (int j = 0; j < m; j++) e[(j * m) + j] = WdEntry<TL>(i, j);
        }
        else
        {
            for (int c = 0; c < m * m; c++) e[c] = WdEntry<TL>(i, c);
        }
        var lmLanes = TL.Broadcast(lm);
        for (int j = 0; j < m; j++)
        {
            var scale = TL.Load(scales.Delta, (i * m) + j, m);
            e[(j * m) + j] += lmLanes * (scale * scale);
        }
        return Factor(e, m);
    }

    /// <summary>DFCTR for a positive definite d×d block (upper triangle of a, row-major; the lower
    /// triangle is not read afterwards). False when a pivot is not positive in some lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Factor<TL>(Span<TL> a, int d)
        where TL : unmanaged, ILane<TL>
    {
        for (int j = 0; j < d; j++)
        {
            TL s = TL.Zero;
            for (int k = 0; k < j; k++)
            {
                TL t = a[(k * d) + j];
                for (int i = 0; i < k; i++) t -= a[(i * d) + k] * a[(i * d) + j];
                t /= a[(k * d) + k];
                a[(k * d) + j] = t;
                s += t * t;
            }
            s = a[(j * d) + j] - s;
            if (TL.AnyPivotFails(a[(j * d) + j], s)) return false;
            a[(j * d) + j] = TL.Sqrt(s);
        }
        return true;
    }

    /// <summary>DSOLVE job 4 (Rᵀx = b) with positive pivots.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SolveTransposed<TL>(ReadOnlySpan<TL> r, int d, Span<TL> b)
        where TL : unmanaged, ILane<TL>
    {
        b[0] /= r[0];
        for (int j = 1; j < d; j++)
        {
            TL s = b[j];
            for (int i = 0; i < j; i++) s -= r[(i * d) + j] * b[i];
            b[j] = s / r[(j * d) + j];
        }
    }

    /// <summary>DSOLVE job 2 (R x = b) with positive pivots.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Solve<TL>(ReadOnlySpan<TL> r, int d, Span<TL> b)
        where TL : unmanaged, ILane<TL>
    {
        b[d - 1] /= r[((d - 1) * d) + d - 1];
        for (int j = d - 2; j >= 0; j--)
        {
            TL temp = TL.Negate(b[j + 1]);
            for (int i = 0; i <= j; i++) b[i] += temp * r[(i * d) + j + 1];
            b[j] /= r[(j * d) + j];
        }
    }
}
