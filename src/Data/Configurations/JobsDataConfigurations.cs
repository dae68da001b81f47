using Dashboard.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dashboard.Data.Configurations;

internal sealed class EmailDeliveryConfiguration : IEntityTypeConfiguration<EmailDelivery>
{
    public void Configure(EntityTypeBuilder<EmailDelivery> builder)
    {
        builder.HasKey(e => e.Id);
        builder.Property(e => e.MessageKey).HasMaxLength(200);
        builder.HasIndex(e => e.MessageKey).IsUnique();
        builder.Property(e => e.ToAddress).HasMaxLength(320);
        builder.HasIndex(e => e.ToAddress);
        builder.Property(e => e.Subject).HasMaxLength(998);
        builder.Property(e => e.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.BounceType).HasConversion<string>().HasMaxLength(10);
        builder.Property(e => e.JobId).HasMaxLength(50);
        builder.HasIndex(e => e.CreatedAt);
    }
}

internal sealed class SuppressedAddressConfiguration : IEntityTypeConfiguration<SuppressedAddress>
{
    public void Configure(EntityTypeBuilder<SuppressedAddress> builder)
    {
        builder.HasKey(e => e.Address);
        builder.Property(e => e.Address).HasMaxLength(320);
        builder.Property(e => e.MessageKey).HasMaxLength(200);
    }
}

internal sealed class WebhookAttemptConfiguration : IEntityTypeConfiguration<WebhookAttempt>
{
    public void Configure(EntityTypeBuilder<WebhookAttempt> builder)
    {
        builder.HasKey(e => e.Id);
        builder.Property(e => e.DeliveryKey).HasMaxLength(200);
        builder.HasIndex(e => new { e.DeliveryKey, e.Attempt });
        builder.HasIndex(e => e.CreatedAt);
        builder.Property(e => e.Url).HasMaxLength(2048);
        builder.Property(e => e.JobId).HasMaxLength(50);
        builder.Property(e => e.Outcome).HasConversion<string>().HasMaxLength(20);
    }
}

internal sealed class ServerHeartbeatConfiguration : IEntityTypeConfiguration<ServerHeartbeat>
{
    public void Configure(EntityTypeBuilder<ServerHeartbeat> builder)
    {
        builder.HasKey(e => e.ServerId);
        builder.Property(e => e.ServerId).HasMaxLength(200);
        builder.Property(e => e.Host).HasMaxLength(200);
        builder.HasIndex(e => e.HeartbeatAt);
    }
}

internal sealed class JobMetricMinuteConfiguration : IEntityTypeConfiguration<JobMetricMinute>
{
    public void Configure(EntityTypeBuilder<JobMetricMinute> builder) => JobMetricShape.Configure(builder, "job_metrics_minute");
}

internal sealed class JobMetricHourConfiguration : IEntityTypeConfiguration<JobMetricHour>
{
    public void Configure(EntityTypeBuilder<JobMetricHour> builder) => JobMetricShape.Configure(builder, "job_metrics_hour");
}

internal static class JobMetricShape
{
    public static void Configure<T>(EntityTypeBuilder<T> builder, string table)
        where T : JobMetric
    {
        // Two tables of the same shape, not an inheritance hierarchy.
        builder.HasBaseType((Type?)null);
        builder.ToTable(table);
        builder.HasKey(e => new { e.BucketStart, e.JobType, e.Queue });
        builder.Property(e => e.JobType).HasMaxLength(300);
        builder.Property(e => e.Queue).HasMaxLength(100);
        builder.HasIndex(e => new { e.JobType, e.BucketStart });
    }
}
