using Dashboard.Data.Database;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Dashboard.Web.Hosting;

/// <summary><c>/readyz</c>: PostgreSQL answers and the schema is at this build's version.</summary>
internal sealed class ReadinessCheck(SchemaStatus schema) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (ready, reason) = await schema.CheckAsync(cancellationToken);
        return ready ? HealthCheckResult.Healthy(reason) : HealthCheckResult.Unhealthy(reason);
    }
}
