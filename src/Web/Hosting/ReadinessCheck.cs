using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Dashboard.Web.Hosting;

/// <summary>
/// <c>/readyz</c>: PostgreSQL answers and the schema is at this build's version. The description is the reason's
/// category only (<see cref="Dashboard.Data.Database.SchemaCheck"/>); the details are in the log.
/// </summary>
internal sealed class ReadinessCheck(ReadinessProbe probe) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var check = await probe.CurrentAsync(cancellationToken);
        return check.Ready ? HealthCheckResult.Healthy(check.Category) : HealthCheckResult.Unhealthy(check.Category);
    }
}
