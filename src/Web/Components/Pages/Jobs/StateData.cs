using System.Globalization;
using Dashboard.Web.Components.Shared;
using System.Text.Json;
using Hangfire.Common;

namespace Dashboard.Web.Components.Pages.Jobs;

/// <summary>One readable line of a state's data; <paramref name="Href"/> links to where the thing it names is shown.</summary>
public sealed record StateFact(string Label, string Value, string? Href = null);

/// <summary>Reads the data Hangfire stores with each state (string values: times, ids, durations in ms).</summary>
public static class StateData
{
    public static IReadOnlyDictionary<string, string> Parse(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        }

        var values = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json) ?? [];
        return values.ToDictionary(
            v => v.Key,
            v => v.Value.ValueKind == JsonValueKind.String ? v.Value.GetString() ?? "" : v.Value.GetRawText(),
            StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Hangfire writes times as Unix milliseconds (older versions: ISO 8601); both are read.</summary>
    public static DateTimeOffset? Time(IReadOnlyDictionary<string, string> data, string key) =>
        data.TryGetValue(key, out var raw) && JobHelper.DeserializeNullableDateTime(raw) is { } value
            ? new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc))
            : null;

    /// <summary>What an operator wants to know about one state, in words; the stack trace of a failure is shown apart.</summary>
    public static IReadOnlyList<StateFact> FactsOf(JobStateView state)
    {
        var data = state.Data;
        var facts = new List<StateFact>();
        switch (state.State)
        {
            case JobStateNames.Enqueued:
                Add(facts, "Queue", data.GetValueOrDefault("Queue"));
                break;
            case JobStateNames.Scheduled:
                Add(facts, "Enqueue at", Times.Format(Time(data, "EnqueueAt")));
                break;
            case JobStateNames.Processing:
                if (data.GetValueOrDefault("ServerId") is { Length: > 0 } server)
                {
                    facts.Add(new StateFact("Server", server, "/workers"));
                }

                Add(facts, "Worker", data.GetValueOrDefault("WorkerId"));
                break;
            case JobStateNames.Succeeded:
                Add(facts, "Duration", Milliseconds(data.GetValueOrDefault("PerformanceDuration")));
                Add(facts, "Latency", Milliseconds(data.GetValueOrDefault("Latency")));
                break;
            case JobStateNames.Failed:
                Add(facts, "Exception", data.GetValueOrDefault("ExceptionType"));
                Add(facts, "Message", data.GetValueOrDefault("ExceptionMessage"));
                if (data.GetValueOrDefault("ServerId") is { Length: > 0 } failedOn)
                {
                    facts.Add(new StateFact("Server", failedOn, "/workers"));
                }

                break;
            case JobStateNames.Awaiting:
                Add(facts, "Parent job", data.GetValueOrDefault("ParentId"));
                break;
            default:
                break;
        }

        return facts;
    }

    /// <summary>"850 ms", "12.4 s", "3 min 5 s" from a millisecond count.</summary>
    public static string? Milliseconds(string? raw)
    {
        if (!long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms))
        {
            return raw;
        }

        var span = TimeSpan.FromMilliseconds(ms);
        return span.TotalSeconds < 1 ? string.Create(CultureInfo.InvariantCulture, $"{ms} ms")
            : span.TotalMinutes < 1 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.0} s")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes} min {span.Seconds} s");
    }

    private static void Add(List<StateFact> facts, string label, string? value)
    {
        if (!string.IsNullOrEmpty(value) && value != "–")
        {
            facts.Add(new StateFact(label, value));
        }
    }
}
