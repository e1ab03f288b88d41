using System.Globalization;

namespace Odr.Cli.Batch;

/// <summary>
/// Whether group keys, taken in file order, rise strictly as text (ordinal) and as numbers. A file
/// whose keys rise either way cannot hold a group twice (odr batch's sorted-input check then needs no
/// memory), and shards whose keys rise in the merge order can be merged as they are read (odr merge).
/// </summary>
internal sealed class RisingKeys
{
    private string? last;
    private double lastNumber;

    /// <summary>Every key so far is above the one before, by ordinal text order.</summary>
    public bool ByText { get; private set; } = true;

    /// <summary>Every key so far is a number (not NaN) above the one before.</summary>
    public bool ByNumber { get; private set; } = true;

    /// <summary>Takes the next key; false once the keys rise neither way.</summary>
    /// <param name="key">The key.</param>
    public bool Next(string key)
    {
        bool isNumber = double.TryParse(key, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && !double.IsNaN(number);
        if (last is not null)
        {
            ByText &= string.CompareOrdinal(last, key) < 0;
            ByNumber &= isNumber && lastNumber < number;
        }
        else
        {
            ByNumber = isNumber;
        }
        last = key;
        lastNumber = number;
        return ByText || ByNumber;
    }
}
