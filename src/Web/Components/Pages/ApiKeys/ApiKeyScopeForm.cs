using System.Globalization;
using Dashboard.Web.Api;

namespace Dashboard.Web.Components.Pages.ApiKeys;

/// <summary>The scope fields while an administrator edits them: ticked jobs and queues (none ticked = all) and the rate as typed.</summary>
public sealed class ApiKeyScopeForm
{
    public HashSet<string> Jobs { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Queues { get; } = new(StringComparer.Ordinal);

    public string? RequestsPerMinute { get; set; }

    public static ApiKeyScopeForm From(ApiKeyScopeSettings? scope)
    {
        var form = new ApiKeyScopeForm { RequestsPerMinute = scope?.RequestsPerMinute?.ToString(CultureInfo.InvariantCulture) };
        form.Jobs.UnionWith(scope?.Jobs ?? []);
        form.Queues.UnionWith(scope?.Queues ?? []);
        return form;
    }

    /// <summary>The settings to save, or an error for a rate that is not a whole number.</summary>
    public (ApiKeyScopeSettings? Scope, string? Error) ToSettings()
    {
        int? rate = null;
        var text = RequestsPerMinute?.Trim();
        if (!string.IsNullOrEmpty(text))
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                return (null, $"Requests per minute must be a whole number, or empty for the default ({ApiKeyScope.DefaultRequestsPerMinute}).");
            }

            rate = parsed;
        }

        return (new ApiKeyScopeSettings(
            Jobs.Count == 0 ? null : [.. Jobs.Order(StringComparer.Ordinal)],
            Queues.Count == 0 ? null : [.. Queues.Order(StringComparer.Ordinal)],
            rate), null);
    }
}
