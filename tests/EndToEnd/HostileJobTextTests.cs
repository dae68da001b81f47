using Hangfire;
using Hangfire.Client;
using Hangfire.Common;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.States;
using Dashboard.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Dashboard.EndToEnd;

/// <summary>
/// A failed job whose arguments and exception message carry a script and an attribute break-out, written into the
/// app's Hangfire tables by another client (as any producer could): in a real browser, /failed, /jobs and /jobs/{id}
/// show the text, and nothing of it runs.
/// </summary>
public sealed class HostileJobTextTests(PostgresServerFixture postgres)
{
    private const string AdminEmail = "admin@example.test";
    private const string AdminPassword = "E2e-Admin-Passw0rd!";
    private const string Hostile = "<script>window.__dashboardXss = 1</script> \"><img src=x onerror=\"window.__dashboardXss = 2\">";

    [Fact]
    public async Task FailedJobWithMarkupInItsTextAndArguments_IsShownAsTextOnEveryPage()
    {
        Assert.True(File.Exists(Browser.ChromiumPath), "Chromium is required: apt-get install chromium (.ci/run does it)");
        var database = postgres.CreateDatabase();
        await using var app = AppProcess.Start(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = database,
            ["Dashboard__Admin__Email"] = AdminEmail,
            ["Dashboard__Admin__Password"] = AdminPassword,
            ["Dashboard__Roles"] = "web",
        });
        var url = await app.WaitForUrlAsync(TimeSpan.FromSeconds(90));

        var options = new PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = false };
        var storage = new PostgreSqlStorage(new NpgsqlConnectionFactory(database, options), options);
        // No filters: Hangfire's global automatic retry would turn the Failed state into a scheduled retry.
        var noFilters = new JobFilterCollection();
        var client = new BackgroundJobClient(storage, new BackgroundJobFactory(noFilters), new BackgroundJobStateChanger(noFilters));
        var jobId = client.Create(Job.FromExpression(() => Console.WriteLine(Hostile)), new FailedState(new InvalidOperationException(Hostile)));
        await using (var connection = new Npgsql.NpgsqlConnection(database))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var state = new Npgsql.NpgsqlCommand($"SELECT statename FROM hangfire.job WHERE id = {long.Parse(jobId, System.Globalization.CultureInfo.InvariantCulture)}", connection);
            Assert.Equal("Failed", (string?)await state.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        }

        await using var browser = await Browser.LaunchAsync(url);
        var page = browser.Page;
        await page.GotoAsync("/account/login");
        await page.FillAsync("input[name='Input.Email']", AdminEmail);
        await page.FillAsync("input[name='Input.Password']", AdminPassword);
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.GetByTestId("count-succeeded")).ToBeVisibleAsync();

        await page.GotoAsync("/failed");
        var row = page.Locator("[data-testid=failed-rows] tr", new() { Has = page.Locator($"[data-testid=job-link]:text-is('{jobId}')") });
        await Assertions.Expect(row).ToContainTextAsync("<script>window.__dashboardXss = 1</script>");
        await AssertNothingRanAsync(page);
        await browser.ScreenshotAsync("hostile-failed");

        await page.GotoAsync("/jobs?state=failed");
        await Assertions.Expect(page.Locator("[data-testid=jobs-rows]")).ToContainTextAsync("onerror=\"window.__dashboardXss = 2\"");
        await AssertNothingRanAsync(page);

        await page.GotoAsync($"/jobs/{jobId}");
        await Assertions.Expect(page.GetByTestId("job-failure")).ToContainTextAsync("<img src=x onerror=");
        await Assertions.Expect(page.GetByTestId("job-arguments")).ToContainTextAsync("<script>");
        await AssertNothingRanAsync(page);
        await browser.ScreenshotAsync("hostile-job-details");
    }

    private static async Task AssertNothingRanAsync(IPage page)
    {
        Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.__dashboardXss"));
        Assert.Equal(0, await page.Locator("img[onerror]").CountAsync());
    }
}
