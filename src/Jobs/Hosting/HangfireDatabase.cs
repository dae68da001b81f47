using Dashboard.Data.Database;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dashboard.Jobs.Hosting;

/// <summary>
/// Read access to Hangfire's tables for the dashboard's own queries (search, paging, grouping, live figures) that
/// Hangfire's monitoring API cannot answer, or answers with a scan of the whole job table. Changes to jobs never go
/// through here: they go through Hangfire's client APIs so that filters, state history and locks apply.
/// </summary>
public sealed class HangfireDatabase(PostgresEndpoint endpoint, IOptions<HangfireOptions> options)
{
    /// <summary>
    /// The schema of Hangfire's tables, safe to interpolate into SQL: <see cref="HangfireOptions.SchemaName"/> is
    /// validated at start-up to be a lower-case identifier.
    /// </summary>
    public string Schema => options.Value.SchemaName;

    /// <summary>For callers already off the request thread that read synchronously (the snapshot service's loop).</summary>
    public NpgsqlConnection Open()
    {
        var connection = new NpgsqlConnection(endpoint.ConnectionString);
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(endpoint.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
