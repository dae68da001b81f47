using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dashboard.Data;
using Dashboard.Data.Entities;
using Dashboard.IntegrationTests.Infrastructure;
using Hangfire;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.IntegrationTests.Jobs.Email;

/// <summary>
/// The whole path: HTTP API → Hangfire on PostgreSQL → hosted server → send-email → a real SMTP listener.
/// </summary>
public sealed class SendEmailEndToEndTests(PostgresServerFixture postgres)
{
    private const string Key = "end-to-end-key-0123456789";

    [Fact]
    public async Task PostSendEmail_TwiceWithSameKey_DeliveredOnceAndRecordedWithItsJob()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var smtp = SmtpTestServer.Start();
        await using var app = new DashboardFactory(postgres.CreateDatabase(), new Dictionary<string, string?>
        {
            ["Dashboard:ApiKeys:e2e"] = Key,
            ["Dashboard:Smtp:Host"] = "127.0.0.1",
            ["Dashboard:Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Dashboard:Smtp:Security"] = "None",
        });
        using var http = app.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        var storage = app.Services.GetRequiredService<JobStorage>();
        var body = new { messageKey = "order-7/confirmation", to = "ann@example.test", subject = "Your order", body = "Thanks!" };

        var first = await EnqueueAsync(http, body, ct);
        await JobStates.WaitForStateAsync(storage, first, SucceededState.StateName, TimeSpan.FromSeconds(30));
        var second = await EnqueueAsync(http, body, ct);
        await JobStates.WaitForStateAsync(storage, second, SucceededState.StateName, TimeSpan.FromSeconds(30));

        var message = Assert.Single(smtp.Messages);
        Assert.Equal(["<ann@example.test>"], message.Recipients);
        Assert.Equal("Your order", message.Parse().Subject);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<DashboardDbContext>>().CreateDbContextAsync(ct);
        var delivery = await db.EmailDeliveries.SingleAsync(e => e.MessageKey == "order-7/confirmation", ct);
        Assert.Equal(EmailDeliveryStatus.Sent, delivery.Status);
        Assert.Equal(first, delivery.JobId);
    }

    private static async Task<string> EnqueueAsync(HttpClient http, object body, CancellationToken ct)
    {
        var response = await http.PostAsJsonAsync(new Uri("/api/jobs/send-email", UriKind.Relative), body, ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return json.RootElement.GetProperty("jobId").GetString()!;
    }
}
