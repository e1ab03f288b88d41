namespace Odr;

/// <summary>INFO's digits as ODRPACK's final report names them (A … E from the left); the typed
/// reading is <see cref="Stop"/>. Every part of the library that needs a digit of INFO reads it here.</summary>
public readonly partial record struct InfoCode
{
    /// <summary>Digit A (ten-thousands): 0, or the kind of fatal error (1–6, 9).</summary>
    internal int TenThousands => Value / 10000 % 10;

    /// <summary>Digit B (thousands): questionable derivatives, or a detail of a fatal error.</summary>
    internal int Thousands => Value / 1000 % 10;

    /// <summary>Digit C (hundreds): the model rejected a point (ISTOP), or a detail of a fatal error.</summary>
    internal int Hundreds => Value / 100 % 10;

    /// <summary>Digit D (tens): rank deficiency, or a detail of a fatal error.</summary>
    internal int Tens => Value / 10 % 10;

    /// <summary>Digit E (ones): the stopping condition (1–4), or a detail of a fatal error.</summary>
    internal int Ones => Value % 10;

    /// <summary>The same INFO with its last digit (the stopping condition) replaced (DODCNT).</summary>
    internal InfoCode WithStop(int stop) => new((Value / 10 * 10) + stop);
}

/// <summary>ODRPACK's IPRINT as its four report settings (from the left: the initial summary, the
/// iteration reports, the iteration step, the final summary). The one place that reads its digits.</summary>
/// <param name="Value">ODRPACK's IPRINT; negative means ODRPACK's default, 2001.</param>
internal readonly record struct IprintCode(int Value)
{
    /// <summary>ODRPACK's default report: the long initial summary and the short final summary.</summary>
    public const int Default = 2001;

    private int Resolved => Value < 0 ? Default : Value;

    /// <summary>The initial summary: 0 none, 1 short, 2 long (thousands digit).</summary>
    public int InitialLevel => Level(Resolved % 10000 / 1000);

    /// <summary>The iteration reports: 0 none, 1 short, 2 long (hundreds digit).</summary>
    public int IterationLevel => Level(Resolved % 1000 / 100);

    /// <summary>Report iteration k when the step is 1 or k mod step = 1; 0 reports none (tens digit).</summary>
    public int IterationStep => Resolved % 100 / 10;

    /// <summary>The final summary: 0 none, 1 short, 2 long (ones digit).</summary>
    public int FinalLevel => Level(Resolved % 10);

    /// <summary>DODMN's mapping of an IPRINT digit to the report printed (0 none, 1 short, 2 long):
    /// levels 3–6 also mean a second copy on the screen in ODRPACK; here odd levels give the short
    /// report and even ones the long report (6 long), all to the one writer.</summary>
    internal static int Level(int digit) => digit switch
    {
        <= 0 => 0,
        >= 6 => 2,
        _ => 2 - (digit % 2),
    };
}
