using Dashboard.Data;
using Dashboard.Jobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Dashboard.IntegrationTests.Infrastructure;

/// <summary>
/// The data and job services exactly as the app registers them, built but not started, for tests that drive the
/// migrator and schema check by hand.
/// </summary>
internal static class DataServices
{
    public static IHost Build(string connectionString)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = connectionString,
            ["Dashboard:Roles"] = "web",
        });
        builder.AddDashboardData();
        builder.AddDashboardJobs();
        return builder.Build();
    }
}
