using System.ComponentModel.DataAnnotations;

namespace Dashboard.Data.Database;

/// <summary>
/// <c>Dashboard:Database</c>. Connection-string tuning that Npgsql's defaults leave on the table
/// (DESIGN.md §5), and how the schema is brought up to date.
/// </summary>
public sealed class DatabaseOptions
{
    public const string Section = "Dashboard:Database";

    /// <summary>
    /// Skips <c>DISCARD ALL</c> each time a pooled connection is returned. Hangfire opens and closes a connection
    /// for almost every storage call, so the reset round trip costs a large share of throughput.
    /// </summary>
    public bool NoResetOnClose { get; set; } = true;

    /// <summary>
    /// Npgsql prepares the statements it sees most often on each physical connection; Hangfire's queries are a
    /// small fixed set, so they all end up prepared and skip parsing and planning.
    /// </summary>
    [Range(0, 1000, ErrorMessage = "Dashboard:Database:MaxAutoPrepare must be between 0 and 1000.")]
    public int MaxAutoPrepare { get; set; } = 50;

    /// <summary>
    /// Connections per process. Each busy Hangfire worker holds one while it fetches and updates state, plus a few
    /// for the server's own loops and the dashboard: keep it above the worker count.
    /// </summary>
    [Range(5, 1000, ErrorMessage = "Dashboard:Database:MaxPoolSize must be between 5 and 1000.")]
    public int MaxPoolSize { get; set; } = 50;

    /// <summary>
    /// Apply migrations at start-up under a PostgreSQL advisory lock. Turn it off when a one-shot
    /// <c>--migrate</c> step runs before the replicas (docker-compose does that).
    /// </summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>How long start-up keeps retrying while PostgreSQL is not accepting connections yet.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "Dashboard:Database:StartupTimeout must be between 0 and 1 hour.")]
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// PostgreSQL's <c>statement_timeout</c> for the dashboard's reads (job search, job details, overview figures,
    /// failures, metrics, audit): a viewer's search over millions of jobs is stopped after this long instead of
    /// holding a connection and a core while it is reloaded in a loop. The page then says the read was stopped and
    /// asks for a narrower filter. Only the reads' own connections get it (<see cref="PostgresEndpoint.ReadConnectionString"/>):
    /// Hangfire's storage and the workers' writes never do.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00", ErrorMessage = "Dashboard:Database:ReadStatementTimeout must be between 1 ms and 1 hour.")]
    public TimeSpan ReadStatementTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public EmbeddedPostgresOptions Embedded { get; set; } = new();
}

/// <summary><c>Dashboard:Database:Embedded</c>: the private PostgreSQL started when no connection string is set.</summary>
public sealed class EmbeddedPostgresOptions
{
    /// <summary>
    /// Start a private PostgreSQL when <c>ConnectionStrings:Postgres</c> is empty. Empty means "in Development only",
    /// so a production replica without a connection string stops instead of running on a throw-away database.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>Folder for the private server's files. Empty: <c>.data/postgres</c> at the repository root.</summary>
    public string? Directory { get; set; }

    /// <summary>Folder holding <c>initdb</c> and <c>pg_ctl</c>. Empty: PATH, then <c>/usr/lib/postgresql/*/bin</c>.</summary>
    public string? BinDirectory { get; set; }

    /// <summary>Name of the database created inside the private server.</summary>
    [Required(ErrorMessage = "Dashboard:Database:Embedded:DatabaseName is required.")]
    public string DatabaseName { get; set; } = "dashboard";
}
