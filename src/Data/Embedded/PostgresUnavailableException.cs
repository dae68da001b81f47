namespace Dashboard.Data.Embedded;

/// <summary>The private PostgreSQL cannot be started; the message tells the user what to do.</summary>
public sealed class PostgresUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
