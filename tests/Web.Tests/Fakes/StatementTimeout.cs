using Npgsql;

namespace Dashboard.Web.Tests.Fakes;

/// <summary>What Npgsql throws when PostgreSQL stops a statement at its <c>statement_timeout</c>.</summary>
internal static class StatementTimeout
{
    public const string ServerText = "canceling statement due to statement timeout";

    public static PostgresException Error() => new(ServerText, "ERROR", "ERROR", PostgresErrorCodes.QueryCanceled);
}
