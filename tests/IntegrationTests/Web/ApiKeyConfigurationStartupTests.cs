using Dashboard.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Dashboard.IntegrationTests.Web;

/// <summary>A key scoped to a job that does not exist stops the app at start-up, not at the first 403 in production.</summary>
public sealed class ApiKeyConfigurationStartupTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task Start_KeyScopedToUnknownJob_FailsNamingTheSettingAndTheJobs()
    {
        await using var app = new DashboardFactory(postgres.CreateDatabase(), new Dictionary<string, string?>
        {
            ["Dashboard:Roles"] = "web",
            ["Dashboard:ApiKeys:billing:Key"] = "billing-key-0123456789abcdef",
            ["Dashboard:ApiKeys:billing:Jobs:0"] = "send-mail",
        });

        var error = Assert.IsType<OptionsValidationException>(Unwrap(Record.Exception(() => app.CreateClient())));

        Assert.Contains("Dashboard:ApiKeys:billing:Jobs:0 is 'send-mail', which is not a job", error.Message, StringComparison.Ordinal);
        Assert.Contains("send-email", error.Message, StringComparison.Ordinal);
    }

    private static Exception? Unwrap(Exception? exception) =>
        exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? Unwrap(aggregate.InnerException) : exception;
}
