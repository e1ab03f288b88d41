namespace Odr.Core;

/// <summary>Receives immutable snapshots of the solver's state at the start, after each reported
/// iteration and at the end (the hooks of ODRPACK's DODPCR reports).</summary>
internal abstract class IterationObserver
{
    public abstract void Initial(FitSnapshot start);

    public abstract void Iteration(IterationSnapshot iteration);

    public abstract void Final(FitSnapshot end);
}
