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
        var written = Keywords(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);

        if (!written.Contains(Keyword(b => b.NoResetOnClose = true)))
        {
            builder.NoResetOnClose = options.NoResetOnClose;
        }

        if (!written.Contains(Keyword(b => b.MaxAutoPrepare = 1)))
        {
            builder.MaxAutoPrepare = options.MaxAutoPrepare;
        }

        if (!written.Contains(Keyword(b => b.MaxPoolSize = 1)))
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
        // A read inside an operator action's TransactionScope would enlist a second connection and turn the action's
        // one transaction into a two-phase commit; a read has no business in it anyway.
        builder.Enlist = false;
        return builder.ConnectionString;
    }

    /// <summary>
    /// The keywords written in <paramref name="connectionString"/>, each as Npgsql's canonical keyword: Npgsql itself
    /// says which spellings mean a setting ("Maximum Pool Size", "MaxPoolSize", any case), so no list of synonyms here
    /// can drift from what it accepts.
    /// </summary>
    private static HashSet<string> Keywords(string connectionString)
    {
        var keywords = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var written = new DbConnectionStringBuilder { ConnectionString = connectionString };
        foreach (string key in written.Keys)
        {
            var probe = new NpgsqlConnectionStringBuilder();
            try
            {
                probe[key] = written[key];
            }
            catch (ArgumentException ex) when (!probe.ContainsKey(key))
            {
                throw new ArgumentException(
                    $"ConnectionStrings:Postgres: '{key}' is not a keyword Npgsql accepts. The tuned settings are spelled " +
                    $"'{Keyword(b => b.NoResetOnClose = true)}', '{Keyword(b => b.MaxAutoPrepare = 1)}' and '{Keyword(b => b.MaxPoolSize = 1)}'.",
                    nameof(connectionString), ex);
            }

            keywords.Add(FirstKeyword(probe));
        }

        return keywords;
    }

    /// <summary>Npgsql's canonical keyword of the one setting <paramref name="set"/> writes.</summary>
    private static string Keyword(Action<NpgsqlConnectionStringBuilder> set)
    {
        var builder = new NpgsqlConnectionStringBuilder();
        set(builder);
        return FirstKeyword(builder);
    }

    // Npgsql writes a setting under its canonical keyword, in its own spelling ("Maximum Pool Size=1").
    private static string FirstKeyword(NpgsqlConnectionStringBuilder builder) =>
        builder.ConnectionString[..builder.ConnectionString.IndexOf('=', StringComparison.Ordinal)];
}
