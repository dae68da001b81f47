using Dashboard.Data;
using Dashboard.Data.Database;
using Dashboard.Data.Entities;
using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.Jobs.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Dashboard.IntegrationTests.Jobs.Email;

/// <summary>
/// A migrated database of its own and a live SMTP listener, with the email jobs built from the app's real services:
/// the jobs run exactly as Hangfire would run them, minus the queue.
/// </summary>
internal sealed class EmailHarness : IAsyncDisposable
{
    public const string From = "dashboard@example.test";

    private readonly IHost _services;

    private EmailHarness(IHost services, SmtpTestServer smtp)
    {
        _services = services;
        Smtp = smtp;
        Contexts = services.Services.GetRequiredService<IDbContextFactory<DashboardDbContext>>();
    }

    public SmtpTestServer Smtp { get; }

    public IDbContextFactory<DashboardDbContext> Contexts { get; }

    public static async Task<EmailHarness> StartAsync(PostgresServerFixture postgres, CancellationToken ct)
    {
        var services = DataServices.Build(postgres.CreateDatabase());
        await services.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
        return new EmailHarness(services, SmtpTestServer.Start());
    }

    public SendEmailJob SendEmail(int? port = null) => new(
        Contexts,
        Options.Create(new SmtpOptions
        {
            Host = "127.0.0.1",
            Port = port ?? Smtp.Port,
            From = From,
            Security = SmtpSecurity.None,
            // Short, so a test that goes wrong fails in seconds rather than hanging on the default 30 s.
            Timeout = TimeSpan.FromSeconds(5),
        }),
        NullLogger<SendEmailJob>.Instance);

    public ProcessBounceJob ProcessBounce() => new(Contexts, NullLogger<ProcessBounceJob>.Instance);

    public async Task<EmailDelivery?> DeliveryAsync(string messageKey, CancellationToken ct)
    {
        await using var db = await Contexts.CreateDbContextAsync(ct);
        return await db.EmailDeliveries.AsNoTracking().SingleOrDefaultAsync(e => e.MessageKey == messageKey, ct);
    }

    public async Task AddAsync(EmailDelivery delivery, CancellationToken ct)
    {
        await using var db = await Contexts.CreateDbContextAsync(ct);
        db.EmailDeliveries.Add(delivery);
        await db.SaveChangesAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        await Smtp.DisposeAsync();
        _services.Dispose();
    }
}
