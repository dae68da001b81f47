using Dashboard.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Data;

/// <summary>
/// The dashboard's own data (schema <c>dashboard</c>). Hangfire's tables live in their own schema and are not
/// mapped here. Use it through <see cref="IDbContextFactory{TContext}"/>: a Blazor circuit lives for hours and
/// a long-lived context would grow its change tracker and hold a connection.
/// </summary>
public sealed class DashboardDbContext(DbContextOptions<DashboardDbContext> options) : DbContext(options)
{
    public const string Schema = "dashboard";

    public DbSet<DataProtectionKeyRecord> DataProtectionKeys => Set<DataProtectionKeyRecord>();

    public DbSet<EmailDelivery> EmailDeliveries => Set<EmailDelivery>();

    public DbSet<SuppressedAddress> SuppressedAddresses => Set<SuppressedAddress>();

    public DbSet<WebhookAttempt> WebhookAttempts => Set<WebhookAttempt>();

    public DbSet<ServerHeartbeat> ServerHeartbeats => Set<ServerHeartbeat>();

    public DbSet<JobMetricMinute> JobMetricsMinute => Set<JobMetricMinute>();

    public DbSet<JobMetricHour> JobMetricsHour => Set<JobMetricHour>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        // JobMetric is only a shared shape of two tables, not an entity of its own.
        modelBuilder.Ignore<JobMetric>();
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(DashboardDbContext).Assembly);
        SnakeCaseNames.Apply(modelBuilder);
    }
}
