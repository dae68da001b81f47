using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dashboard.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Dashboard.EndToEnd;

/// <summary>
/// A real browser against the built app running as its own process on real PostgreSQL: sign in, watch the Overview
/// update live, requeue a failed job with one click and find it in the audit trail under the operator's name.
/// </summary>
public sealed class SignedInOperatorTests(PostgresServerFixture postgres)
{
    private const string AdminEmail = "admin@example.test";
    private const string AdminPassword = "E2e-Admin-Passw0rd!";
    private const string ApiKey = "e2e-api-key-0123456789abcdef";

    [Fact]
    public async Task Admin_SignsInWatchesOverviewRequeuesFailedJobAndSeesItAudited()
    {
        Assert.True(File.Exists(Browser.ChromiumPath), "Chromium is required: apt-get install chromium (.ci/run does it)");
        await using var app = AppProcess.Start(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = postgres.CreateDatabase(),
            ["Dashboard__Admin__Email"] = AdminEmail,
            ["Dashboard__Admin__Password"] = AdminPassword,
            ["Dashboard__ApiKeys__e2e"] = ApiKey,
            ["Dashboard__Ui__RefreshInterval"] = "00:00:01",
        });
        var url = await app.WaitForUrlAsync(TimeSpan.FromSeconds(90));
        await using var browser = await Browser.LaunchAsync(url);
        var page = browser.Page;

        // Signed out, the dashboard sends the browser to the sign-in page.
        await page.GotoAsync("/");
        Assert.Contains("/account/login", page.Url, StringComparison.Ordinal);
        await browser.ScreenshotAsync("login");
        await page.FillAsync("input[name='Input.Email']", AdminEmail);
        await page.FillAsync("input[name='Input.Password']", AdminPassword);
        await page.ClickAsync("button[type=submit]");
        var succeeded = page.GetByTestId("count-succeeded");
        await Assertions.Expect(succeeded).ToHaveTextAsync("0");

        // Two jobs through the HTTP API: the open page shows them succeed without a reload.
        using var http = new HttpClient { BaseAddress = url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        await EnqueueAsync(http, new { sleepMs = 10 });
        await EnqueueAsync(http, new { sleepMs = 10 });
        await Assertions.Expect(succeeded).ToHaveTextAsync("2", new() { Timeout = 30_000 });
        await browser.ScreenshotAsync("overview");

        // A job that keeps failing lands in Failed after its 3 attempts (2 s and 4 s apart); the operator requeues it.
        var failedId = await EnqueueAsync(http, new { failUntilAttempt = 99 });
        await Assertions.Expect(page.GetByTestId("count-failed")).ToHaveTextAsync("1", new() { Timeout = 40_000 });
        await page.GotoAsync($"/jobs/{failedId}");
        await Assertions.Expect(page.GetByTestId("requeue")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("job-details");
        await page.GetByTestId("requeue").ClickAsync();
        await Assertions.Expect(page.GetByTestId("command-result")).ToBeVisibleAsync();

        await page.GotoAsync("/audit");
        var row = page.Locator("tr", new() { HasText = "job.requeue" });
        await Assertions.Expect(row).ToContainTextAsync(AdminEmail);
        await Assertions.Expect(row).ToContainTextAsync(failedId);
        await browser.ScreenshotAsync("audit");

        await page.GotoAsync("/users");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync(AdminEmail);
        await browser.ScreenshotAsync("users");
        await page.GotoAsync("/api-keys");
        await browser.ScreenshotAsync("api-keys");
    }

    private static async Task<string> EnqueueAsync(HttpClient http, object args)
    {
        var response = await http.PostAsJsonAsync(new Uri("api/jobs/diagnostics", UriKind.Relative), args, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return json.RootElement.GetProperty("jobId").GetString()!;
    }
}
