using Odr.Core;

namespace Odr.Reports;

/// <summary>ODRPACK's iprint-style reports (DODPCR): initial summary, iteration lines, final summary.</summary>
internal sealed class IterationReport : IterationObserver
{
    private readonly TextWriter writer;
    private readonly int iprint;
    private readonly Data data;
    private readonly Model model;

    public IterationReport(TextWriter writer, int iprint, Data data, Model model)
    {
        this.writer = writer;
        this.iprint = iprint;
        this.data = data;
        this.model = model;
    }

    public override void Initial(Solver solver)
    {
        _ = data;
        _ = model;
        if (iprint / 1000 % 10 == 0) return;
        writer.WriteLine($" Initial weighted sum of squares: {solver.CurrentSumOfSquares:E8}");
    }

    public override void Iteration(Solver solver)
    {
        if (iprint / 100 % 10 == 0) return;
        writer.WriteLine($" {solver.Iterations,6} {solver.FunctionEvaluations,6} {solver.CurrentSumOfSquares,12:E5}");
    }

    public override void Final(Solver solver)
    {
        if (iprint % 10 == 0) return;
        writer.WriteLine($" Final weighted sum of squares: {solver.WeightedSumOfSquares:E8}");
    }
}
