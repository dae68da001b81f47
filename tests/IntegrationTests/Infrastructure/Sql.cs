using System.Globalization;
using Npgsql;

namespace Dashboard.IntegrationTests.Infrastructure;

/// <summary>One-statement reads and writes against a test database, for arranging data and checking results.</summary>
internal static class Sql
{
    /// <summary>Runs <paramref name="sql"/>; <paramref name="at"/>, when given, is bound as both @h and @now.</summary>
    public static async Task ExecuteAsync(string connectionString, string sql, DateTimeOffset? at = null)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        if (at is { } value)
        {
            command.Parameters.AddWithValue("h", value);
            command.Parameters.AddWithValue("now", value);
        }

        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>The first column of the first row, converted to <typeparamref name="T"/> (null stays null for reference types).</summary>
    public static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
        return value is null or DBNull ? default! : (T)Convert.ChangeType(value, typeof(T), CultureInfo.InvariantCulture);
    }
}
