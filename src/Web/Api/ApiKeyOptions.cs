using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Dashboard.Web.Api;

/// <summary>
/// <c>Dashboard:ApiKeys</c>: the keys that may enqueue over HTTP, bootstrapped from configuration, either as
/// <c>Dashboard:ApiKeys:&lt;name&gt;</c> = <c>&lt;key&gt;</c> (every job, the default rate) or in the long form
/// <c>Dashboard:ApiKeys:&lt;name&gt;:Key</c>, <c>:Jobs:0..n</c>, <c>:Queues:0..n</c>, <c>:RequestsPerMinute</c>. The name
/// is what logs and the audit trail show; the key itself is never logged.
/// </summary>
public sealed class ApiKeyOptions : IValidatableObject
{
    public const string Section = "Dashboard:ApiKeys";

    /// <summary>Long enough that guessing is hopeless; a short key is almost always a placeholder left in by mistake.</summary>
    public const int MinimumLength = 16;

    /// <summary>The settings of the long form. Anything else is refused: a misspelt <c>Jobs</c> would silently allow every job.</summary>
    public static readonly IReadOnlyList<string> LongFormSettings = ["Key", "Jobs", "Queues", "RequestsPerMinute"];

    /// <summary>Key name → its settings, as configured.</summary>
    public Dictionary<string, ConfiguredApiKey> Keys { get; } = new(StringComparer.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, key) in Keys.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            var setting = key.LongForm ? $"{Section}:{name}:Key" : $"{Section}:{name}";
            if (string.IsNullOrWhiteSpace(key.Key))
            {
                yield return new ValidationResult($"{setting} is empty: set it to a key of at least {MinimumLength} characters, or remove it.", [nameof(Keys)]);
            }
            else if (key.Key.Trim().Length < MinimumLength)
            {
                yield return new ValidationResult($"{setting} is too short: an API key needs at least {MinimumLength} characters.", [nameof(Keys)]);
            }

            foreach (var unknown in key.UnknownSettings)
            {
                yield return new ValidationResult(
                    $"{Section}:{name}:{unknown} is not a setting of an API key: use {string.Join(", ", LongFormSettings.Select(s => $"{Section}:{name}:{s}"))}.",
                    [nameof(Keys)]);
            }

            if (key.RequestsPerMinuteText is { } text && key.RequestsPerMinute is null)
            {
                yield return new ValidationResult(
                    $"{Section}:{name}:RequestsPerMinute is '{text}': it must be a whole number from 1 to {ApiKeyScope.MaxRequestsPerMinute} (default {ApiKeyScope.DefaultRequestsPerMinute}).",
                    [nameof(Keys)]);
            }
        }

        // One key under two names would make the name recorded for a request a guess.
        foreach (var shared in Keys.Where(k => !string.IsNullOrWhiteSpace(k.Value.Key)).GroupBy(k => k.Value.Key!.Trim(), StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            var names = string.Join(" and ", shared.Select(k => $"{Section}:{k.Key}").Order(StringComparer.Ordinal));
            yield return new ValidationResult($"{names} have the same key: give each caller a key of its own.", [nameof(Keys)]);
        }
    }

    /// <summary>Every child of <c>Dashboard:ApiKeys</c>; names are open-ended, so plain binding to properties cannot read them.</summary>
    public static void ReadFrom(IConfiguration configuration, ApiKeyOptions options)
    {
        foreach (var child in configuration.GetSection(Section).GetChildren())
        {
            options.Keys[child.Key] = Read(child);
        }
    }

    private static ConfiguredApiKey Read(IConfigurationSection section)
    {
        var settings = section.GetChildren().ToList();
        if (settings.Count == 0)
        {
            // The short form (or an empty value, which validation names).
            return new ConfiguredApiKey { Key = section.Value };
        }

        var rate = section["RequestsPerMinute"];
        return new ConfiguredApiKey
        {
            LongForm = true,
            Key = section["Key"],
            Jobs = ListOf(section.GetSection("Jobs")),
            Queues = ListOf(section.GetSection("Queues")),
            RequestsPerMinuteText = rate,
            RequestsPerMinute = int.TryParse(rate, NumberStyles.None, CultureInfo.InvariantCulture, out var perMinute) && perMinute is >= 1 and <= ApiKeyScope.MaxRequestsPerMinute
                ? perMinute : null,
            UnknownSettings = [.. settings.Select(s => s.Key).Where(k => !LongFormSettings.Contains(k, StringComparer.OrdinalIgnoreCase)).Order(StringComparer.Ordinal)],
        };
    }

    /// <summary><c>:Jobs:0..n</c> as configuration arrays are written; a single value (<c>:Jobs</c> = <c>diagnostics</c>) is a list of one.</summary>
    private static List<string>? ListOf(IConfigurationSection section)
    {
        // Children first: some sources (the test host's settings among them) give a parent an empty value as well.
        var items = section.GetChildren().Select(c => c.Value ?? "").ToList();
        if (items.Count > 0)
        {
            return items;
        }

        // Present but empty (":Jobs" = "") is kept as one empty entry, which validation refuses: "no list" would allow everything.
        return section.Value is { } single ? [single] : null;
    }
}

/// <summary>One configured key: the secret and, in the long form, its scope.</summary>
public sealed class ConfiguredApiKey
{
    public string? Key { get; init; }

    /// <summary>Written as <c>:Key</c>, <c>:Jobs</c>, …; only changes which setting an error message names.</summary>
    public bool LongForm { get; init; }

    public List<string>? Jobs { get; init; }

    public List<string>? Queues { get; init; }

    /// <summary>The parsed rate, or null when absent or invalid (<see cref="RequestsPerMinuteText"/> tells which).</summary>
    public int? RequestsPerMinute { get; init; }

    public string? RequestsPerMinuteText { get; init; }

    public IReadOnlyList<string> UnknownSettings { get; init; } = [];

    public ApiKeyScope Scope => new(Jobs, Queues, RequestsPerMinute);
}
