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

    /// <summary>
    /// For the workers' own statements (the queue's fetch): the storage's connection string, no statement timeout.
    /// Callers already off the request thread that read synchronously.
    /// </summary>
    public NpgsqlConnection Open() => Open(endpoint.ConnectionString);

    /// <summary>
    /// For the dashboard's reads (pages, the live snapshot): sessions whose <c>statement_timeout</c> is
    /// <see cref="DatabaseOptions.ReadStatementTimeout"/>, in a pool of their own (<see cref="PostgresEndpoint.ReadConnectionString"/>).
    /// A statement cut off fails with SQLSTATE 57014 (query_canceled).
    /// </summary>
    public NpgsqlConnection OpenRead() => Open(endpoint.ReadConnectionString);

    /// <inheritdoc cref="OpenRead"/>
    public async Task<NpgsqlConnection> OpenReadAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(endpoint.ReadConnectionString);
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

    private static NpgsqlConnection Open(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
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
}
