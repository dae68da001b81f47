using System.Globalization;
using System.Text;

namespace Dashboard.Data.Audit;

/// <summary>Text a caller typed or sent, made safe to store in the audit trail and to write to the log.</summary>
public static class AuditText
{
    /// <summary>
    /// <paramref name="input"/> with control characters (CR, LF, tabs, escapes) shown as <c>\uXXXX</c>, so a typed
    /// value can never start a line of its own, and cut to <paramref name="maxLength"/> characters with a marker.
    /// </summary>
    public static string Clean(string input, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(input);
        var text = new StringBuilder(Math.Min(input.Length, maxLength + 16));
        foreach (var c in input)
        {
            if (text.Length >= maxLength)
            {
                text.Append("…(cut)");
                break;
            }

            if (char.IsControl(c))
            {
                text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }
}
