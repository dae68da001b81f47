namespace Dashboard.Data.Database;

/// <summary>The answer of <see cref="SchemaStatus"/>.</summary>
/// <param name="Category">
/// What anyone may be told, <c>/readyz</c>'s anonymous callers included: <see cref="UpToDate"/>,
/// <see cref="DatabaseUnreachable"/> or <see cref="SchemaNotReady"/>. Never the database's own words.
/// </param>
/// <param name="Detail">What an operator needs to fix it (the database's error, the missing migration): for the log only.</param>
public sealed record SchemaCheck(bool Ready, string Category, string Detail)
{
    public const string UpToDate = "PostgreSQL answers and the schema is up to date";
    public const string DatabaseUnreachable = "database unreachable";
    public const string SchemaNotReady = "schema not ready";

    public static SchemaCheck Ok() => new(true, UpToDate, UpToDate);

    public static SchemaCheck Unreachable(string detail) => new(false, DatabaseUnreachable, detail);

    public static SchemaCheck NotReady(string detail) => new(false, SchemaNotReady, detail);
}
