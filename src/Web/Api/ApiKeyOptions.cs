using System.ComponentModel.DataAnnotations;

namespace Dashboard.Web.Api;

/// <summary>
/// <c>Dashboard:ApiKeys</c>: the keys that may enqueue over HTTP, bootstrapped from configuration as
/// <c>Dashboard:ApiKeys:&lt;name&gt;</c> = <c>&lt;key&gt;</c>. The name is what logs (and later the audit trail) show;
/// the key itself is never logged.
/// </summary>
public sealed class ApiKeyOptions : IValidatableObject
{
    public const string Section = "Dashboard:ApiKeys";

    /// <summary>Long enough that guessing is hopeless; a short key is almost always a placeholder left in by mistake.</summary>
    public const int MinimumLength = 16;

    /// <summary>Key name → key, as configured. A name given as a section (no value) is kept with a null key so validation can name it.</summary>
    public Dictionary<string, string?> Keys { get; } = new(StringComparer.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, key) in Keys.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            if (string.IsNullOrWhiteSpace(key))
            {
                yield return new ValidationResult($"{Section}:{name} is empty: set it to a key of at least {MinimumLength} characters, or remove it.", [nameof(Keys)]);
            }
            else if (key.Trim().Length < MinimumLength)
            {
                yield return new ValidationResult($"{Section}:{name} is too short: an API key needs at least {MinimumLength} characters.", [nameof(Keys)]);
            }
        }

        // One key under two names would make the name recorded for a request a guess.
        foreach (var shared in Keys.Where(k => !string.IsNullOrWhiteSpace(k.Value)).GroupBy(k => k.Value, StringComparer.Ordinal).Where(g => g.Count() > 1))
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
            options.Keys[child.Key] = child.Value;
        }
    }
}
