using System.Globalization;

namespace Dashboard.Web.Components.Pages.Recurring;

/// <summary>
/// Plain-English descriptions of the cron expressions operators meet most (Hangfire's 5-field form, or 6 fields with
/// seconds first, and the @ macros). Anything it cannot describe exactly — steps that do not divide evenly, ranges of
/// minutes, day-of-month and day-of-week both restricted (cron then means "either"), L, W, # — gets no description,
/// and the page shows the raw expression: a wrong sentence is worse than none.
/// </summary>
public static class CronDescriber
{
    private static readonly string[] Days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

    private static readonly string[] Months =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    private static readonly int[] DaysInMonth = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

    /// <summary>The description, or the expression itself when it is not one we describe.</summary>
    public static string Describe(string? cron) => TryDescribe(cron, out var text) ? text : (cron ?? "").Trim();

    public static bool TryDescribe(string? cron, out string description)
    {
        description = "";
        var fields = (cron ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string? text = fields.Length switch
        {
            1 => Macro(fields[0].ToLowerInvariant()),
            5 => DescribeFive(fields),
            6 => DescribeSix(fields),
            _ => null,
        };
        if (text is null)
        {
            return false;
        }

        description = text;
        return true;
    }

    private static string? Macro(string macro) => macro switch
    {
        "@yearly" or "@annually" => "At 00:00 on 1 January",
        "@monthly" => "At 00:00 on day 1 of every month",
        "@weekly" => "Every Sunday at 00:00",
        "@daily" or "@midnight" => "At 00:00 every day",
        "@hourly" => "At minute 0 past every hour",
        "@every_minute" => "Every minute",
        "@every_second" => "Every second",
        _ => null,
    };

    private static string? DescribeSix(string[] f)
    {
        var seconds = Field.Parse(f[0], 0, 59);
        if (seconds is { Values: [0] })
        {
            return DescribeFive(f[1..]);
        }

        // Every n seconds, all other fields unrestricted.
        if (seconds?.Step is { } step && f[1..].All(Unrestricted))
        {
            return step == 1 ? "Every second" : $"Every {step} seconds";
        }

        return null;
    }

    private static string? DescribeFive(string[] f)
    {
        var minute = Field.Parse(f[0], 0, 59);
        var hour = Field.Parse(f[1], 0, 23);
        var dayOfMonth = Field.Parse(f[2], 1, 31);
        var month = Field.Parse(f[3], 1, 12, Months);
        var dayOfWeek = Field.Parse(f[4], 0, 7, Days);
        if (minute is null || hour is null || dayOfMonth is null || month is null || dayOfWeek is null)
        {
            return null;
        }

        var everyDay = dayOfMonth.IsAny && month.IsAny && dayOfWeek.IsAny;
        if (minute.Step is { } minutes && hour.IsAny && everyDay)
        {
            return minutes == 1 ? "Every minute" : $"Every {minutes} minutes";
        }

        if (minute.Values is not [var m])
        {
            return null;
        }

        if (hour.IsAny || hour.Step is not null)
        {
            var hours = hour.Step is null or 1 ? "every hour" : $"every {hour.Step} hours";
            return everyDay ? $"At minute {m} past {hours}" : null;
        }

        if (hour.Values is not { } hourValues)
        {
            return null;
        }

        var times = JoinAnd(hourValues.Select(h => $"{h:00}:{m:00}"));
        return DescribeDays(times, dayOfMonth, month, dayOfWeek);
    }

    private static string? DescribeDays(string times, Field dayOfMonth, Field month, Field dayOfWeek)
    {
        if (!dayOfMonth.IsAny && !dayOfWeek.IsAny)
        {
            return null;
        }

        if (!dayOfWeek.IsAny)
        {
            if (!month.IsAny)
            {
                return null;
            }

            var weekdays = dayOfWeek.Values?.Select(d => d % 7).Distinct().Order().ToList();
            return dayOfWeek switch
            {
                { Range: { } range } when range.From % 7 != range.To % 7 => $"At {times}, {Days[range.From % 7]} through {Days[range.To % 7]}",
                _ when weekdays is [var only] => $"Every {Days[only]} at {times}",
                _ when weekdays is { Count: > 1 } => $"At {times} on {JoinAnd(weekdays.Select(d => Days[d]))}",
                _ => null,
            };
        }

        var dates = dayOfMonth.Values;
        var months = month.Values;
        if ((!dayOfMonth.IsAny && dates is null) || (!month.IsAny && months is null))
        {
            return null;
        }

        if (dates is not null && months is not null && dates.All(d => months.All(mo => d > DaysInMonth[mo - 1])))
        {
            return "Never (no such date)";
        }

        var monthText = months is null ? "" : JoinAnd(months.Select(mo => Months[mo - 1]));
        return (dates, months) switch
        {
            (null, null) => $"At {times} every day",
            (null, _) => $"At {times} every day in {monthText}",
            ([var d], null) => $"At {times} on day {d} of every month",
            (_, null) => $"At {times} on days {JoinAnd(dates.Select(d => d.ToString(CultureInfo.InvariantCulture)))} of every month",
            ([var d], [_]) => $"At {times} on {d} {monthText}",
            ([var d], _) => $"At {times} on day {d} of {monthText}",
            _ => null,
        };
    }

    private static bool Unrestricted(string field) => field is "*" or "?";

    private static string JoinAnd(IEnumerable<string> parts)
    {
        var list = parts.ToList();
        return list.Count <= 1 ? string.Concat(list) : string.Join(", ", list[..^1]) + " and " + list[^1];
    }

    /// <summary>
    /// One cron field in the few shapes we describe: any (<c>*</c>, <c>?</c>; a step of 1), an even step (<c>*/n</c> where n
    /// divides the field's cycle, so the gap never changes at the wrap-around), a list of values, or one range.
    /// </summary>
    private sealed record Field(bool IsAny, int? Step, IReadOnlyList<int>? Values, (int From, int To)? Range)
    {
        public static Field? Parse(string text, int min, int max, string[]? names = null)
        {
            if (Unrestricted(text))
            {
                return new Field(true, 1, null, null);
            }

            if (text.StartsWith("*/", StringComparison.Ordinal))
            {
                var cycle = max - min + 1;
                return int.TryParse(text[2..], NumberStyles.None, CultureInfo.InvariantCulture, out var step) && step > 0 && step < cycle && cycle % step == 0
                    ? new Field(step == 1, step, null, null)
                    : null;
            }

            var dash = text.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0 && !text.Contains(',', StringComparison.Ordinal))
            {
                var from = Value(text[..dash], min, max, names);
                var to = Value(text[(dash + 1)..], min, max, names);
                return from is { } a && to is { } b && a < b ? new Field(false, null, null, (a, b)) : null;
            }

            var values = new List<int>();
            foreach (var part in text.Split(','))
            {
                if (Value(part, min, max, names) is not { } value)
                {
                    return null;
                }

                values.Add(value);
            }

            return new Field(false, null, values.Distinct().Order().ToList(), null);
        }

        private static int? Value(string text, int min, int max, string[]? names)
        {
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                return number >= min && number <= max ? number : null;
            }

            // JAN..DEC, SUN..SAT: index + the field's minimum (months start at 1, days of the week at 0).
            var index = names is null ? -1 : Array.FindIndex(names, n => n[..3].Equals(text, StringComparison.OrdinalIgnoreCase));
            return index >= 0 ? index + min : null;
        }
    }
}
