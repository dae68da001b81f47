using Dashboard.Web.Components.Pages.Jobs;

namespace Dashboard.Web.Tests.Fakes;

/// <summary>Job details as the query service returns them, one per state, with the data Hangfire stores for it.</summary>
internal static class JobViews
{
    public static JobDetailsView Enqueued(string id, string queue) => View(
        id,
        queue,
        [State("Enqueued", null, -1, ("Queue", queue))],
        parameters: [new JobParameterView("Queue", queue, "/queues")]);

    public static JobDetailsView RetryScheduled(string id, int retries, DateTimeOffset nextRetry) => View(
        id,
        "default",
        [
            State("Scheduled", $"Retry {retries} of 4 in 30 s after InvalidOperationException: boom", -0.5, ("EnqueueAt", Ms(nextRetry)), ("ScheduledAt", Ms(Snapshots.Now))),
            State("Failed", "An exception occurred", -0.6, ("ExceptionType", "System.InvalidOperationException"), ("ExceptionMessage", "boom")),
            State("Processing", null, -0.7, ("ServerId", "host-a:101:aaaa"), ("WorkerId", "w-1")),
            State("Enqueued", null, -1, ("Queue", "default")),
        ],
        retries: retries,
        nextRetry: nextRetry);

    public static JobDetailsView Processing(string id, string server, string worker) => View(
        id,
        "default",
        [State("Processing", null, -0.5, ("ServerId", server), ("WorkerId", worker)), State("Enqueued", null, -1, ("Queue", "default"))]);

    public static JobDetailsView Succeeded(string id, long durationMs, long latencyMs) => View(
        id,
        "default",
        [
            State("Succeeded", null, -0.2, ("PerformanceDuration", durationMs.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("Latency", latencyMs.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            State("Processing", null, -0.5, ("ServerId", "host-a:101:aaaa"), ("WorkerId", "w-1")),
            State("Enqueued", null, -1, ("Queue", "default")),
        ]);

    public static JobDetailsView Failed(string id, string stack) => View(
        id,
        "default",
        [
            State("Failed", "Failed after 3 attempt(s): SleepMs out of range", -1, ("ExceptionType", "System.ComponentModel.DataAnnotations.ValidationException"), ("ExceptionMessage", "SleepMs out of range"), ("ExceptionDetails", stack)),
            State("Processing", null, -1.5, ("ServerId", "host-a:101:aaaa"), ("WorkerId", "w-1")),
            State("Enqueued", null, -2, ("Queue", "default")),
        ],
        failure: new JobFailureView("System.ComponentModel.DataAnnotations.ValidationException", "SleepMs out of range", stack));

    private static JobDetailsView View(
        string id,
        string queue,
        IReadOnlyList<JobStateView> history,
        int retries = 0,
        DateTimeOffset? nextRetry = null,
        JobFailureView? failure = null,
        IReadOnlyList<JobParameterView>? parameters = null) => new(
            id,
            "DiagnosticsJob",
            "RunAsync",
            queue,
            history[0].State,
            history[0].Reason,
            Snapshots.Now.AddMinutes(-2),
            "{\n  \"args\": {\n    \"SleepMs\": -1\n  }\n}",
            history,
            failure,
            retries,
            nextRetry,
            parameters ?? []);

    private static JobStateView State(string name, string? reason, double minutesAgo, params (string Key, string Value)[] data) =>
        new(name, reason, Snapshots.Now.AddMinutes(minutesAgo), data.ToDictionary(d => d.Key, d => d.Value, StringComparer.OrdinalIgnoreCase));

    private static string Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
}
