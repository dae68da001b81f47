namespace Dashboard.Data.Hangfire;

/// <summary>
/// The statements of <see cref="DashboardWriteTransaction"/> for one schema (a validated identifier), written once
/// per storage rather than once per command.
/// </summary>
public sealed class WriteStatements(string schema)
{
    public string ExpireJob { get; } = $"""UPDATE "{schema}"."job" SET "expireat" = NOW() + $2 WHERE "id" = $1""";

    public string PersistJob { get; } = $"""UPDATE "{schema}"."job" SET "expireat" = NULL WHERE "id" = $1""";

    public string SetJobState { get; } = $"""
        WITH "s" AS (
            INSERT INTO "{schema}"."state" ("jobid", "name", "reason", "createdat", "data")
            VALUES ($1, $2, $3, $4, $5::jsonb) RETURNING "id")
        UPDATE "{schema}"."job" "j" SET "stateid" = "s"."id", "statename" = $2 FROM "s" WHERE "j"."id" = $1
        """;

    public string AddJobState { get; } = $"""
        INSERT INTO "{schema}"."state" ("jobid", "name", "reason", "createdat", "data")
        VALUES ($1, $2, $3, $4, $5::jsonb)
        """;

    public string AddToQueue { get; } = $"""INSERT INTO "{schema}"."jobqueue" ("jobid", "queue") VALUES ($1, $2)""";

    public string ExpiringCounter { get; } = $"""INSERT INTO "{schema}"."counter" ("key", "value", "expireat") VALUES ($1, $2, NOW() + $3)""";

    public string Counter { get; } = $"""INSERT INTO "{schema}"."counter" ("key", "value") VALUES ($1, $2)""";

    public string AddToSet { get; } = $"""
        INSERT INTO "{schema}"."set" ("key", "value", "score") VALUES ($1, $2, $3)
        ON CONFLICT ("key", "value") DO UPDATE SET "score" = EXCLUDED."score"
        """;

    public string RemoveFromSet { get; } = $"""DELETE FROM "{schema}"."set" WHERE "key" = $1 AND "value" = $2""";

    public string AddRangeToSet { get; } = $"""INSERT INTO "{schema}"."set" ("key", "value", "score") VALUES ($1, $2, 0.0)""";

    public string RemoveSet { get; } = $"""DELETE FROM "{schema}"."set" WHERE "key" = $1""";

    public string InsertToList { get; } = $"""INSERT INTO "{schema}"."list" ("key", "value") VALUES ($1, $2)""";

    public string RemoveFromList { get; } = $"""DELETE FROM "{schema}"."list" WHERE "key" = $1 AND "value" = $2""";

    public string TrimList { get; } = $"""
        DELETE FROM "{schema}"."list" AS "source"
        WHERE "key" = $1
          AND "id" NOT IN (
            SELECT "id" FROM "{schema}"."list" AS "keep"
            WHERE "keep"."key" = "source"."key"
            ORDER BY "id" OFFSET $2 LIMIT $3)
        """;

    public string SetHashField { get; } = $"""
        INSERT INTO "{schema}"."hash" ("key", "field", "value") VALUES ($1, $2, $3)
        ON CONFLICT ("key", "field") DO UPDATE SET "value" = EXCLUDED."value"
        """;

    public string RemoveHash { get; } = $"""DELETE FROM "{schema}"."hash" WHERE "key" = $1""";

    public string ExpireSet { get; } = $"""UPDATE "{schema}"."set" SET "expireat" = $2 WHERE "key" = $1""";

    public string ExpireList { get; } = $"""UPDATE "{schema}"."list" SET "expireat" = $2 WHERE "key" = $1""";

    public string ExpireHash { get; } = $"""UPDATE "{schema}"."hash" SET "expireat" = $2 WHERE "key" = $1""";

    public string PersistSet { get; } = $"""UPDATE "{schema}"."set" SET "expireat" = NULL WHERE "key" = $1""";

    public string PersistList { get; } = $"""UPDATE "{schema}"."list" SET "expireat" = NULL WHERE "key" = $1""";

    public string PersistHash { get; } = $"""UPDATE "{schema}"."hash" SET "expireat" = NULL WHERE "key" = $1""";
}
