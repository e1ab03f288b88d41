namespace Odr;

public sealed partial class Output
{
    /// <summary>Why the fit stopped, as flags read from <see cref="Info"/> (see <see cref="InfoCode"/>):
    /// <c>o.Stop.HasFlag(StopCondition.IterationLimit)</c> instead of <c>o.Info % 10 == 4</c>.
    /// <see cref="Converged"/> is the success test.</summary>
    public StopCondition Stop => new InfoCode(Info).Stop;
}
