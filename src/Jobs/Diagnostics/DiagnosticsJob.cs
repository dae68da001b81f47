using System.ComponentModel.DataAnnotations;
using Dashboard.Jobs.Execution;
using Dashboard.Jobs.Model;

namespace Dashboard.Jobs.Diagnostics;

/// <summary>Arguments of <see cref="DiagnosticsJob"/>.</summary>
/// <param name="SleepMs">How long the job waits, cooperatively on the cancellation token.</param>
/// <param name="FailUntilAttempt">The job throws on every attempt before this one (1-based); 0 never fails.</param>
/// <param name="PayloadBytes">Size of a buffer the job fills, to exercise memory.</param>
public sealed record DiagnosticsArgs(
    [property: Range(0, 3_600_000)] int SleepMs = 0,
    [property: Range(0, 100)] int FailUntilAttempt = 0,
    [property: Range(0, 64 * 1024 * 1024)] int PayloadBytes = 0);

/// <summary>
/// Does exactly what its arguments say. Operators use it to smoke-test the pipeline end to end; the benchmarks and
/// tests use it as a job whose duration and failures are known in advance.
/// </summary>
[JobQueue("default")]
[Attempts(3)]
public sealed class DiagnosticsJob : IJob<DiagnosticsArgs>
{
    public async Task RunAsync(DiagnosticsArgs args, CancellationToken cancellationToken)
    {
        // Arguments that break the annotations fail at once: retrying cannot fix them (RetryPolicy.IsNonRetryable).
        Validator.ValidateObject(args, new ValidationContext(args), validateAllProperties: true);
        var attempt = JobAttempt.Current;
        if (attempt < args.FailUntilAttempt)
        {
            throw new DiagnosticsFailureException(
                $"Diagnostics job failed on purpose on attempt {attempt} (it succeeds from attempt {args.FailUntilAttempt}).");
        }

        if (args.PayloadBytes > 0)
        {
            var payload = new byte[args.PayloadBytes];
            Random.Shared.NextBytes(payload);
        }

        if (args.SleepMs > 0)
        {
            await Task.Delay(args.SleepMs, cancellationToken);
        }
    }
}

/// <summary>The failure a diagnostics job was asked to produce.</summary>
public sealed class DiagnosticsFailureException(string message) : Exception(message);
