using Hangfire.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Dashboard.Data.Hangfire;

/// <summary>
/// A job's data and its parameters in one statement. Hangfire.Core reads parameters "allowing stale values" from
/// <see cref="JobData.ParametersSnapshot"/> when the storage fills it (the culture of every job, our attempt count);
/// Hangfire.PostgreSql does not, so each of those is one more query per job. Otherwise the same as
/// Hangfire.PostgreSql's read: the same columns, the same deserialisation, a job whose class cannot be loaded comes
/// back with its <see cref="JobData.LoadException"/>, an unknown id as null.
/// </summary>
public sealed class JobDataReader(string connectionString, string schema)
{
    private readonly string _sql = $"""
        SELECT j."invocationdata"::text, j."statename", j."arguments"::text, j."createdat", p.names, p.values
        FROM "{schema}"."job" j
        LEFT JOIN LATERAL (
            SELECT array_agg(jp."name") AS names, array_agg(jp."value") AS values
            FROM "{schema}"."jobparameter" jp WHERE jp."jobid" = j."id") p ON true
        WHERE j."id" = @id
        """;

    public JobData? Read(string jobId)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        if (!long.TryParse(jobId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
        {
            return null;
        }

        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(_sql, connection);
        command.Parameters.Add(new NpgsqlParameter<long>("id", NpgsqlDbType.Bigint) { TypedValue = id });
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var invocation = global::Hangfire.Common.SerializationHelper.Deserialize<InvocationData>(reader.GetString(0));
        invocation.Arguments = reader.IsDBNull(2) ? null : reader.GetString(2);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!reader.IsDBNull(4))
        {
            var names = reader.GetFieldValue<string[]>(4);
            var values = reader.GetFieldValue<string?[]>(5);
            for (var i = 0; i < names.Length; i++)
            {
                parameters[names[i]] = values[i]!;
            }
        }

        global::Hangfire.Common.Job? job = null;
        global::Hangfire.Common.JobLoadException? loadException = null;
        try
        {
            job = invocation.DeserializeJob();
        }
        catch (global::Hangfire.Common.JobLoadException ex)
        {
            loadException = ex;
        }

        return new JobData
        {
            Job = job,
            InvocationData = invocation,
            State = reader.IsDBNull(1) ? null : reader.GetString(1),
            CreatedAt = reader.GetDateTime(3),
            LoadException = loadException,
            ParametersSnapshot = parameters,
        };
    }
}
