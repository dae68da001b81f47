using System.Security.Claims;
using Bunit;
using Dashboard.Data.Entities;
using Dashboard.Web.Components.Pages.Jobs;
using Dashboard.Web.Monitoring;
using Dashboard.Web.Security;
using Dashboard.Web.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Web.Tests.Pages.Jobs;

/// <summary>The target's answers are shown to operators on a webhook job's page, and to nobody else.</summary>
public sealed class WebhookDeliveryLogTests : DashboardTestContext
{
    private const string Answer = "HTTP 500: internal error, db password=hunter2";
    private readonly FakeJobDetailsQueries _jobs = new();
    private readonly LogQueries _log = new();

    public WebhookDeliveryLogTests()
    {
        Services.AddSingleton<IJobDetailsQueries>(_jobs);
        Services.AddSingleton<IJobCommands>(new FakeJobCommands());
        Services.AddSingleton<IOverviewSource>(new FakeOverviewSource());
        Services.AddSingleton<IWebhookDeliveryLogQueries>(_log);
        _jobs.Jobs["42"] = JobViews.Failed("42", "stack") with { JobType = "DeliverWebhookJob", StateReason = "webhook target hooks.example.com answered 500" };
        _log.Attempts =
        [
            new WebhookAttemptView(1, Snapshots.Now.AddMinutes(-3), "https://hooks.example.com/in", 500, WebhookOutcome.RetryableFailure, Answer, 120),
            new WebhookAttemptView(2, Snapshots.Now.AddMinutes(-1), "https://hooks.example.com/in", 403, WebhookOutcome.PermanentFailure, "HTTP 403: nope", 80),
        ];
    }

    [Fact]
    public void Operator_SeesEveryAttemptWithTheTargetsAnswer()
    {
        Auth.SetAuthorized("olga@example.test").SetPolicies(Policies.View, Policies.Operate);

        var page = Render<JobDetails>(p => p.Add(x => x.Id, "42"));

        var rows = page.FindAll("[data-testid=delivery-attempt]");
        Assert.Equal(2, rows.Count);
        Assert.Contains("500", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Equal(Answer, page.FindAll("[data-testid=delivery-answer]")[0].TextContent);
        Assert.Contains("Refused, not retried", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Equal("olga@example.test", _log.AskedBy);
    }

    [Fact]
    public void Viewer_SeesTheReasonButNoDeliveryLog()
    {
        Auth.SetAuthorized("vic@example.test").SetPolicies(Policies.View);

        var page = Render<JobDetails>(p => p.Add(x => x.Id, "42"));

        Assert.Contains("answered 500", page.Find("[data-testid=job-state-reason]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=delivery-log]"));
        Assert.DoesNotContain("hunter2", page.Markup, StringComparison.Ordinal);
        Assert.Null(_log.AskedBy);
    }

    [Fact]
    public void LogCannotBeRead_SaysSoWithoutTheError()
    {
        _log.Failure = new InvalidOperationException("Npgsql: relation dashboard.webhook_attempts does not exist");

        var page = Render<JobDetails>(p => p.Add(x => x.Id, "42"));

        Assert.NotNull(page.Find("[data-testid=delivery-log-error]"));
        Assert.DoesNotContain("Npgsql", page.Markup, StringComparison.Ordinal);
    }

    private sealed class LogQueries : IWebhookDeliveryLogQueries
    {
        public IReadOnlyList<WebhookAttemptView> Attempts { get; set; } = [];

        public Exception? Failure { get; set; }

        public string? AskedBy { get; private set; }

        public Task<IReadOnlyList<WebhookAttemptView>> ForJobAsync(ClaimsPrincipal user, string jobId, CancellationToken cancellationToken = default)
        {
            AskedBy = user.Identity?.Name;
            return Failure is null ? Task.FromResult(Attempts) : Task.FromException<IReadOnlyList<WebhookAttemptView>>(Failure);
        }
    }
}
