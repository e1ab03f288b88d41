namespace Odr.Core;

/// <summary>Receives the solver's state at the start, after each reported iteration and at the end
/// (the hooks of ODRPACK's DODPCR reports).</summary>
internal abstract class IterationObserver
{
    public abstract void Initial(Solver solver);

    public abstract void Iteration(Solver solver);

    public abstract void Final(Solver solver);
}
