using Dashboard.Data.Audit;
using Dashboard.Data.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dashboard.Data;

public static class DataHostingExtensions
{
    /// <summary>
    /// PostgreSQL access for every role: the endpoint (configured or private), EF Core through a context factory,
    /// the locked migration step and the schema check behind <c>/readyz</c>.
    /// </summary>
    public static IHostApplicationBuilder AddDashboardData(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.AddValidatedOptions<DatabaseOptions>(DatabaseOptions.Section);

        // Resolved lazily so that configuration added after the builder (test hosts) is seen, and so that the
        // private server starts only in a process that actually talks to the database.
        services.AddSingleton(sp => PostgresEndpoint.Create(
            sp.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>(),
            sp.GetRequiredService<IHostEnvironment>(),
            sp.GetRequiredService<IOptions<DatabaseOptions>>().Value,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<PostgresEndpoint>()));

        services.AddDbContextFactory<DashboardDbContext>((sp, options) =>
            options.UseNpgsql(
                sp.GetRequiredService<PostgresEndpoint>().ConnectionString,
                npgsql => npgsql.MigrationsHistoryTable("__EFMigrationsHistory", DashboardDbContext.Schema)));

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IAuditLog, AuditLog>();
        services.AddSingleton<DatabaseMigrator>();
        services.AddSingleton<SchemaStatus>();
        services.AddHostedService<DatabaseStartup>();
        return builder;
    }
}
