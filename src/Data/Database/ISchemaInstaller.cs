using Npgsql;

namespace Dashboard.Data.Database;

/// <summary>
/// A schema that is not ours to migrate with EF Core (Hangfire's) but must be installed in the same locked
/// migration step, so that replicas starting together never race to create it.
/// </summary>
public interface ISchemaInstaller
{
    string Name { get; }

    Task InstallAsync(NpgsqlConnection connection, CancellationToken cancellationToken);

    Task<bool> IsInstalledAsync(NpgsqlConnection connection, CancellationToken cancellationToken);
}
