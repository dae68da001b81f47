using Dashboard.Data;
using Dashboard.Data.Entities;
using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.Web.Components.Pages.Jobs;
using Dashboard.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.IntegrationTests.Web.Security;

/// <summary>The delivery log holds what targets answered: the query behind it answers operators and nobody else.</summary>
public sealed class WebhookDeliveryLogAccessTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task ForJob_OperatorReadsTheAnswers_ViewerGetsNothing()
    {
        await using var app = new SecurityApp(postgres);
        var ct = TestContext.Current.CancellationToken;
        var contexts = app.Services.GetRequiredService<IDbContextFactory<DashboardDbContext>>();
        await using (var context = await contexts.CreateDbContextAsync(ct))
        {
            context.WebhookAttempts.AddRange(
                Attempt("777", 1, 500, "HTTP 500: secret-internal-detail"),
                Attempt("777", 2, 503, "HTTP 503: still down"),
                Attempt("778", 1, 200, null));
            await context.SaveChangesAsync(ct);
        }

        var viewer = await app.CreateUserAsync(UserRoles.Viewer);
        var operatorUser = await app.CreateUserAsync(UserRoles.Operator);
        var log = app.Services.GetRequiredService<IWebhookDeliveryLogQueries>();

        var forOperator = await log.ForJobAsync(await app.PrincipalAsync(operatorUser.Email!), "777", ct);
        var forViewer = await log.ForJobAsync(await app.PrincipalAsync(viewer.Email!), "777", ct);

        Assert.Equal([1, 2], forOperator.Select(a => a.Attempt));
        Assert.Equal("HTTP 500: secret-internal-detail", forOperator[0].Error);
        Assert.Empty(forViewer);
    }

    private static WebhookAttempt Attempt(string jobId, int attempt, int status, string? error) => new()
    {
        DeliveryKey = "order-" + jobId,
        JobId = jobId,
        Attempt = attempt,
        Url = "https://hooks.example.com/in",
        StatusCode = status,
        Outcome = status < 300 ? WebhookOutcome.Delivered : WebhookOutcome.RetryableFailure,
        Error = error,
        DurationMs = 12,
        CreatedAt = DateTimeOffset.UtcNow,
    };
}
