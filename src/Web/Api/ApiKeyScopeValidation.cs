using Dashboard.Jobs.Hosting;
using Dashboard.Jobs.Model;
using Microsoft.Extensions.Options;

namespace Dashboard.Web.Api;

/// <summary>
/// Checks the job names and queues of configured keys at start-up. A misspelt job name would otherwise leave a key
/// that can never enqueue what its owner meant, found only when the caller gets 403 in production.
/// </summary>
internal sealed class ApiKeyScopeValidation(JobCatalog catalog, IOptions<HangfireOptions> hangfire) : IValidateOptions<ApiKeyOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiKeyOptions options)
    {
        var failures = new List<string>();
        foreach (var (keyName, key) in options.Keys.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            var setting = $"{ApiKeyOptions.Section}:{keyName}";
            failures.AddRange(Problems(key.Jobs, catalog.Jobs.Select(j => j.Name).ToList(), $"{setting}:Jobs", "job", "The jobs are"));
            failures.AddRange(Problems(key.Queues, hangfire.Value.EffectiveQueues, $"{setting}:Queues", "queue", "The queues (Dashboard:Hangfire:Queues) are"));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>A message for each name in <paramref name="configured"/> that is blank or not in <paramref name="known"/>.</summary>
    private static IEnumerable<string> Problems(IReadOnlyList<string>? configured, IReadOnlyList<string> known, string setting, string what, string knownLabel)
    {
        if (configured is null)
        {
            yield break;
        }

        for (var i = 0; i < configured.Count; i++)
        {
            var value = configured[i].Trim();
            if (value.Length == 0)
            {
                // An empty entry must not turn into "no list", which would allow everything.
                yield return $"{setting}:{i} is empty: name a {what}, or remove the entry.";
            }
            else if (!known.Contains(value, StringComparer.Ordinal))
            {
                yield return $"{setting}:{i} is '{value}', which is not a {what}. {knownLabel}: {string.Join(", ", known)}.";
            }
        }
    }
}
