using System.Data.Common;
using System.Globalization;
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

    /// <summary>Sessions per process for the dashboard's reads: page reads take milliseconds, and viewers must not be
    /// able to hold more of the server than this (times the statement timeout).</summary>
    public const int ReadPoolSize = 10;

    /// <summary>
    /// <paramref name="connectionString"/> with a session-wide <c>statement_timeout</c> sent at start-up (the
    /// <c>options</c> startup parameter, after any the operator wrote), its own Application Name so that the
    /// reads' sessions are told apart in <c>pg_stat_activity</c>, and at most <see cref="ReadPoolSize"/> sessions.
    /// Being a different string, it is a pool of its own: reads never wait behind workers, nor workers behind reads.
    /// </summary>
    public static string ForReads(string connectionString, TimeSpan statementTimeout)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.MaxPoolSize = Math.Min(builder.MaxPoolSize, ReadPoolSize);
        var ms = Math.Max(1, (long)Math.Ceiling(statementTimeout.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
        builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? $"-c statement_timeout={ms}" : $"{builder.Options} -c statement_timeout={ms}";
        builder.ApplicationName = string.IsNullOrEmpty(builder.ApplicationName) ? "dashboard-reads" : builder.ApplicationName + " (reads)";
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
