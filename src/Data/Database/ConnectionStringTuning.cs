using System.Data.Common;
using Npgsql;

namespace Dashboard.Data.Database;

/// <summary>
/// Adds the tuned Npgsql settings of <see cref="DatabaseOptions"/> to a connection string. A value the operator
/// wrote into the connection string always wins over the tuned default.
/// </summary>
public static class ConnectionStringTuning
{
    public static string Apply(string connectionString, DatabaseOptions options)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // The plain builder keeps only the keys that were written; Npgsql's lists every known key.
        var written = new DbConnectionStringBuilder { ConnectionString = connectionString };

        if (!Mentions(written, nameof(NpgsqlConnectionStringBuilder.NoResetOnClose), "No Reset On Close"))
        {
            builder.NoResetOnClose = options.NoResetOnClose;
        }

        if (!Mentions(written, nameof(NpgsqlConnectionStringBuilder.MaxAutoPrepare), "Max Auto Prepare"))
        {
            builder.MaxAutoPrepare = options.MaxAutoPrepare;
        }

        if (!Mentions(written, nameof(NpgsqlConnectionStringBuilder.MaxPoolSize), "Maximum Pool Size", "Max Pool Size"))
        {
            builder.MaxPoolSize = options.MaxPoolSize;
        }

        return builder.ConnectionString;
    }

    private static bool Mentions(DbConnectionStringBuilder written, params string[] keys)
    {
        foreach (var key in keys)
        {
            foreach (string existing in written.Keys)
            {
                if (string.Equals(existing.Replace(" ", "", StringComparison.Ordinal), key.Replace(" ", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
