namespace Dashboard.Bench;

/// <summary>Each lever changes one thing relative to the configured stack (appsettings.json).</summary>
internal static class Levers
{
    public static IEnumerable<StackVariant> All()
    {
        // Nothing changed: what two identical runs back to back differ by, the noise every other row is read against.
        yield return Setting("no change", "Dashboard:Bench:Nothing", "x");
        yield return Setting("No Reset On Close = false", "Dashboard:Database:NoResetOnClose", "false");
        yield return Setting("Max Auto Prepare = 0 (no prepared statements)", "Dashboard:Database:MaxAutoPrepare", "0");
        yield return Setting("Max Pool Size = 25", "Dashboard:Database:MaxPoolSize", "25");
        yield return Setting("Max Pool Size = 100", "Dashboard:Database:MaxPoolSize", "100");
        yield return Setting("WorkerCount = 10", "Dashboard:Hangfire:WorkerCount", "10");
        yield return Setting("WorkerCount = 40", "Dashboard:Hangfire:WorkerCount", "40");
        yield return Setting("EnableLongPolling = false", "Dashboard:Hangfire:EnableLongPolling", "false");
        yield return Setting("QueuePollInterval = 1 s", "Dashboard:Hangfire:QueuePollInterval", "00:00:01");
        yield return Setting("UseSlidingInvisibilityTimeout = false", "Dashboard:Hangfire:UseSlidingInvisibilityTimeout", "false");
        yield return StackVariant.Ours("ExecutionMetricsFilter off") with { ExecutionMetrics = false };
        yield return StackVariant.Ours("Hangfire StatisticsHistory filter off (/hangfire graphs go flat)") with { StatisticsHistory = false };
        yield return StackVariant.Ours("synchronous_commit = off (durability trade)") with { DatabaseSettings = ["synchronous_commit = off"] };
    }

    private static StackVariant Setting(string name, string key, string value) =>
        new(name, new Dictionary<string, string?> { [key] = value }, []);
}
