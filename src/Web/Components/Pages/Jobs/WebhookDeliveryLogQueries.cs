using System.Security.Claims;
using Dashboard.Data;
using Dashboard.Data.Entities;
using Dashboard.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Web.Components.Pages.Jobs;

/// <summary>One HTTP attempt of a webhook delivery as operators read it, the target's answer excerpt included.</summary>
public sealed record WebhookAttemptView(int Attempt, DateTimeOffset At, string Url, int? StatusCode, WebhookOutcome Outcome, string? Error, double DurationMs);

/// <summary>
/// The delivery log of a <c>deliver-webhook</c> job (<c>dashboard.webhook_attempts</c>). The excerpts of what targets
/// answered can hold internal detail, so the log is for operators only: the job's failure reason, which viewers see,
/// carries the status code and host and nothing of the answer.
/// </summary>
public interface IWebhookDeliveryLogQueries
{
    /// <summary>The attempts of job <paramref name="jobId"/>, oldest first; empty for a viewer, who may not read them.</summary>
    Task<IReadOnlyList<WebhookAttemptView>> ForJobAsync(ClaimsPrincipal user, string jobId, CancellationToken cancellationToken = default);
}

internal sealed class WebhookDeliveryLogQueries(IDbContextFactory<DashboardDbContext> contexts, IAuthorizationService authorization)
    : IWebhookDeliveryLogQueries
{
    /// <summary>A job is retried a handful of times; a log longer than this shows its latest attempts.</summary>
    private const int MaxAttempts = 50;

    public async Task<IReadOnlyList<WebhookAttemptView>> ForJobAsync(ClaimsPrincipal user, string jobId, CancellationToken cancellationToken = default)
    {
        if (!(await authorization.AuthorizeAsync(user, Policies.Operate)).Succeeded)
        {
            return [];
        }

        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        var latest = await context.WebhookAttempts.AsNoTracking()
            .Where(a => a.JobId == jobId)
            .OrderByDescending(a => a.Id)
            .Take(MaxAttempts)
            .Select(a => new WebhookAttemptView(a.Attempt, a.CreatedAt, a.Url, a.StatusCode, a.Outcome, a.Error, a.DurationMs))
            .ToListAsync(cancellationToken);
        latest.Reverse();
        return latest;
    }
}
