using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dashboard.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Dashboard.EndToEnd;

/// <summary>
/// A real browser against the built app running as its own process on real PostgreSQL: sign in, watch the Overview
/// update live, watch a failing webhook delivery land on the Failed page, requeue it with one click once its
/// receiver is back, see it succeed, and find the requeue in the audit trail under the operator's name. Every page
/// is photographed on the way.
/// </summary>
public sealed class SignedInOperatorTests(PostgresServerFixture postgres)
{
    private const string AdminEmail = "admin@example.test";
    private const string AdminPassword = "E2e-Admin-Passw0rd!";
    private const string ApiKey = "e2e-api-key-0123456789abcdef";

    [Fact]
    public async Task Admin_SignsInSeesFailureOnFailedPageRequeuesItWithOneClickAndItSucceeds()
    {
        Assert.True(File.Exists(Browser.ChromiumPath), "Chromium is required: apt-get install chromium (.ci/run does it)");
        var ct = TestContext.Current.CancellationToken;
        // The receiver is down for two deliveries (both attempts the test allows), then back.
        await using var receiver = await HttpTestTarget.StartAsync(ct);
        receiver.Then(503, "maintenance").Then(503, "maintenance");
        await using var app = AppProcess.Start(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = postgres.CreateDatabase(),
            ["Dashboard__Admin__Email"] = AdminEmail,
            ["Dashboard__Admin__Password"] = AdminPassword,
            ["Dashboard__ApiKeys__e2e"] = ApiKey,
            ["Dashboard__Ui__RefreshInterval"] = "00:00:01",
            ["Dashboard__Retry__Attempts__deliver-webhook"] = "2",
            ["Dashboard__Webhooks__SigningSecret"] = "e2e-signing-secret-0123456789abcdefghij",
            // The receiver listens on loopback, which webhooks refuse unless an operator allows it.
            ["Dashboard__Webhooks__AllowPrivateNetworks__0"] = "127.0.0.0/8",
            // Every 5 minutes by default: a run starting just before one counted its execution among the succeeded
            // jobs the test expects to be exactly its own. Once a year it still shows on the Recurring page.
            ["Dashboard__Recurring__aggregate-metrics__Cron"] = "0 0 1 1 *",
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
        await EnqueueAsync(http, "diagnostics", new { sleepMs = 10 });
        await EnqueueAsync(http, "diagnostics", new { sleepMs = 10 });
        await Assertions.Expect(succeeded).ToHaveTextAsync("2", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-testid=chart-hour] [data-testid=bar][data-succeeded='2']")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await browser.ScreenshotAsync("overview");

        // The operator keeps the Failed page open; the delivery fails twice and appears there without a reload.
        await page.GotoAsync("/failed");
        await Assertions.Expect(page.GetByTestId("failed-empty")).ToBeVisibleAsync();
        var failedId = await EnqueueAsync(http, "deliver-webhook", new
        {
            deliveryKey = "e2e-order-42",
            url = receiver.Url(),
            eventType = "order.paid",
            payloadJson = "{\"orderId\":42}",
        });
        var row = page.Locator("tr", new() { Has = page.Locator($"[data-testid=job-link]:text-is('{failedId}')") });
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = 40_000 });
        await Assertions.Expect(row).ToContainTextAsync("503");
        await Assertions.Expect(page.GetByTestId("error-group")).ToHaveCountAsync(1);
        await browser.ScreenshotAsync("failed");

        // One click; the receiver is back, so the requeued delivery succeeds.
        await row.GetByTestId("requeue-row").ClickAsync();
        await Assertions.Expect(page.GetByTestId("command-result")).ToContainTextAsync("Requeued");
        await page.GotoAsync($"/jobs/{failedId}");
        await Assertions.Expect(page.GetByTestId("job-state")).ToHaveTextAsync("Succeeded", new() { Timeout = 30_000 });
        Assert.Equal(3, receiver.Requests.Count);
        await browser.ScreenshotAsync("job-details");

        await page.GotoAsync("/audit");
        var audit = page.Locator("tr", new() { HasText = "job.requeue" });
        await Assertions.Expect(audit).ToContainTextAsync(AdminEmail);
        await Assertions.Expect(audit).ToContainTextAsync(failedId);
        await browser.ScreenshotAsync("audit");

        await ScreenshotPagesAsync(browser);
    }

    /// <summary>Every other page, each checked for the element that proves it rendered with data.</summary>
    private static async Task ScreenshotPagesAsync(Browser browser)
    {
        var page = browser.Page;
        foreach (var (path, name, proof) in new[]
        {
            ("/queues", "queues", "[data-testid=queue-row][data-queue=default]"),
            ("/workers", "workers", "[data-testid=server][data-health=Healthy]"),
            ("/jobs?state=succeeded", "jobs", "[data-testid=job-link]"),
            ("/recurring", "recurring", "text=aggregate-metrics"),
            ("/job-metrics?window=1h", "job-metrics", "[data-testid=metrics-row]"),
            ("/enqueue?job=diagnostics", "enqueue", "[data-testid=argument-form]"),
            ("/users", "users", $"text={AdminEmail}"),
            ("/api-keys", "api-keys", "h4"),
        })
        {
            await page.GotoAsync(path);
            await Assertions.Expect(page.Locator(proof).First).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await browser.ScreenshotAsync(name);
        }
    }

    private static async Task<string> EnqueueAsync(HttpClient http, string job, object args)
    {
        var response = await http.PostAsJsonAsync(new Uri($"api/jobs/{job}", UriKind.Relative), args, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return json.RootElement.GetProperty("jobId").GetString()!;
    }
}
