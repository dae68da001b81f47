using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Dashboard.Data;
using Dashboard.Data.Entities;
using Dashboard.Jobs.Execution;
using Dashboard.Jobs.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dashboard.Jobs.Webhooks;

/// <summary>
/// POSTs a signed JSON payload to a URL and writes every attempt to the delivery log (<c>dashboard.webhook_attempts</c>).
/// 2xx is done; 5xx, 408, 429, timeouts and network errors throw to be retried; any other answer fails at once.
/// </summary>
/// <remarks>
/// Ten attempts with the 2^n-second backoff (2, 4, … 256 s, then the 5-minute cap) span about 13 minutes: long
/// enough to ride out a receiver's deploy or restart, short enough that a target that is really down lands in Failed,
/// where an operator sees it, the same hour.
/// </remarks>
[JobQueue("default")]
[Attempts(10)]
public sealed partial class DeliverWebhookJob(
    IHttpClientFactory httpClients,
    IOptions<WebhookOptions> options,
    IDbContextFactory<DashboardDbContext> contexts,
    TimeProvider time,
    ILogger<DeliverWebhookJob> logger) : IJob<DeliverWebhookArgs>
{
    /// <summary>The named <see cref="HttpClient"/> configured by <c>AddWebhookJobs</c>.</summary>
    public const string HttpClientName = "webhooks";

    private const int SnippetChars = 200;

    private readonly WebhookOptions _options = options.Value;
    private readonly IReadOnlyList<byte[]> _secrets = [.. options.Value.ActiveSecrets().Select(WebhookOptions.KeyOf)];

    public async Task RunAsync(DeliverWebhookArgs args, CancellationToken cancellationToken)
    {
        // The API validates too, but jobs can be enqueued from code; a ValidationException is not retried.
        Validator.ValidateObject(args, new ValidationContext(args), validateAllProperties: true);
        var uri = new Uri(args.Url);

        if (await AlreadyDeliveredAsync(args.DeliveryKey, cancellationToken))
        {
            // A re-run after the worker died between delivering and Hangfire recording success.
            LogAlreadyDelivered(logger, args.DeliveryKey);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var body = Encoding.UTF8.GetBytes(args.PayloadJson);
        if (Refusal(uri, body.Length) is { } refusal)
        {
            await RecordAsync(args, null, WebhookOutcome.PermanentFailure, refusal, started, cancellationToken);
            throw new NonRetryableJobException(refusal);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        // The job's exception is the failure reason every viewer of /failed sees: the host and the status only, never
        // the target's words or socket details (they may describe an internal network). Those go to the delivery
        // log, which operators read. No inner exception either: Hangfire shows the whole chain.
        var target = string.Create(CultureInfo.InvariantCulture, $"webhook target {uri.Host}");
        try
        {
            using var request = CreateRequest(args, uri, body);
            using var response = await httpClients.CreateClient(HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            var outcome = WebhookResponses.Classify(status);
            if (outcome == WebhookOutcome.Delivered)
            {
                // Not cancelled by shutdown: this row is what keeps a requeued run from sending the delivery again.
                await RecordAsync(args, status, outcome, null, started, CancellationToken.None);
                LogDelivered(logger, args.DeliveryKey, uri.Host, status, JobAttempt.Current);
                return;
            }

            var answer = string.Create(CultureInfo.InvariantCulture, $"{target} answered {status} {response.ReasonPhrase}");
            var snippet = await ReadSnippetAsync(response, timeout.Token, cancellationToken);
            var logged = snippet.Length == 0 ? answer : $"{answer}: {snippet}";
            await RecordAsync(args, status, outcome, logged, started, cancellationToken);
            LogFailed(logger, args.DeliveryKey, uri.Host, JobAttempt.Current, logged);
            throw outcome == WebhookOutcome.PermanentFailure
                ? new NonRetryableJobException($"{answer}; not retried. {SeeLog}")
                : new WebhookDeliveryException($"{answer}. {SeeLog}", status);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown, not the target: Hangfire requeues the job, and the log records only what the target did.
            LogInterrupted(logger, args.DeliveryKey);
            throw;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            var error = string.Create(CultureInfo.InvariantCulture, $"{target} timed out after {_options.Timeout.TotalSeconds:0.###} s");
            await RecordAsync(args, null, WebhookOutcome.RetryableFailure, error, started, cancellationToken);
            LogFailed(logger, args.DeliveryKey, uri.Host, JobAttempt.Current, error);
            throw new WebhookDeliveryException(error, null);
        }
        catch (HttpRequestException ex) when (Refused(ex) is { } refused)
        {
            // The connect callback found no address it may connect to: nothing was sent, and waiting changes nothing.
            await RecordAsync(args, null, WebhookOutcome.PermanentFailure, refused.Message, started, cancellationToken);
            LogFailed(logger, args.DeliveryKey, uri.Host, JobAttempt.Current, refused.Message);
            throw new NonRetryableJobException(refused.Message);
        }
        catch (HttpRequestException ex)
        {
            var logged = $"{target}: request failed ({ex.HttpRequestError}): {ex.Message}";
            await RecordAsync(args, null, WebhookOutcome.RetryableFailure, logged, started, cancellationToken);
            LogFailed(logger, args.DeliveryKey, uri.Host, JobAttempt.Current, logged);
            throw new WebhookDeliveryException($"{target}: request failed ({ex.HttpRequestError}). {SeeLog}", null);
        }
    }

    private const string SeeLog = "Details are in the delivery log (dashboard.webhook_attempts).";

    private static WebhookTargetRefusedException? Refused(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is WebhookTargetRefusedException refused)
            {
                return refused;
            }
        }

        return null;
    }

    private string? Refusal(Uri uri, int bodyBytes)
    {
        if (_secrets.Count == 0)
        {
            return "Dashboard:Webhooks:SigningSecret is not set (Dashboard__Webhooks__SigningSecret), nor any Dashboard:Webhooks:Secrets; nothing is sent unsigned. Requeue after setting it.";
        }

        if (!_options.AllowsHost(uri.Host))
        {
            return $"host '{uri.Host}' is not in Dashboard:Webhooks:AllowedHosts; not sent.";
        }

        return bodyBytes > _options.MaxPayloadBytes
            ? string.Create(CultureInfo.InvariantCulture, $"payload is {bodyBytes} bytes, more than Dashboard:Webhooks:MaxPayloadBytes ({_options.MaxPayloadBytes}); not sent.")
            : null;
    }

    private HttpRequestMessage CreateRequest(DeliverWebhookArgs args, Uri uri, byte[] body)
    {
        // Taken per attempt, so a receiver's freshness window applies to each retry, not to the first try.
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = content,
            // HTTP/1.1 or lower, never upgraded to HTTP/3: QUIC connections do not go through the connect callback
            // that vets the target's addresses.
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        // The delivery key is the webhook-id: the same on every retry, so receivers drop duplicates by it, and signed,
        // so a captured request cannot pass the duplicate check under a new id.
        request.Headers.Add(WebhookSignature.IdHeader, args.DeliveryKey);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Compute(_secrets, args.DeliveryKey, timestamp, body));
        request.Headers.Add(WebhookSignature.EventHeader, args.EventType);
        return request;
    }

    /// <summary>
    /// The start of an error body, on one line, so the delivery log shows operators why the target said no. Only a
    /// few KiB are read: a target must not be able to make the worker buffer a large page.
    /// </summary>
    private static async Task<string> ReadSnippetAsync(HttpResponseMessage response, CancellationToken timeout, CancellationToken shutdown)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(timeout);
            var buffer = new byte[4 * 1024];
            var read = 0;
            int n;
            while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), timeout)) > 0)
            {
                read += n;
            }

            var text = Encoding.UTF8.GetString(buffer, 0, read);
            var oneLine = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            return oneLine.Length <= SnippetChars ? oneLine : oneLine[..SnippetChars] + "…";
        }
        catch (Exception ex) when (!shutdown.IsCancellationRequested && ex is OperationCanceledException or HttpRequestException or IOException)
        {
            // The status already decides the outcome; a body that cannot be read adds nothing worth failing over.
            return "";
        }
    }

    private async Task<bool> AlreadyDeliveredAsync(string deliveryKey, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.WebhookAttempts.AnyAsync(
            a => a.DeliveryKey == deliveryKey && a.Outcome == WebhookOutcome.Delivered, cancellationToken);
    }

    private async Task RecordAsync(
        DeliverWebhookArgs args, int? status, WebhookOutcome outcome, string? error, long started, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.WebhookAttempts.Add(new WebhookAttempt
        {
            DeliveryKey = args.DeliveryKey,
            JobId = CurrentJob.Id,
            Attempt = JobAttempt.Current,
            Url = args.Url,
            StatusCode = status,
            Outcome = outcome,
            Error = error,
            DurationMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            CreatedAt = time.GetUtcNow(),
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    // The host, not the URL, is logged: webhook URLs often carry a token in the path or query.
    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {DeliveryKey} delivered to {Host}: {StatusCode} on attempt {Attempt}")]
    private static partial void LogDelivered(ILogger logger, string deliveryKey, string host, int statusCode, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {DeliveryKey} to {Host} failed on attempt {Attempt}: {Error}")]
    private static partial void LogFailed(ILogger logger, string deliveryKey, string host, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {DeliveryKey} was delivered before; not sent again")]
    private static partial void LogAlreadyDelivered(ILogger logger, string deliveryKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {DeliveryKey} interrupted by shutdown; Hangfire will run it again")]
    private static partial void LogInterrupted(ILogger logger, string deliveryKey);
}

/// <summary>A delivery that may succeed later (5xx, 408, 429, timeout, network error): the retry policy retries it.</summary>
public sealed class WebhookDeliveryException(string message, int? statusCode) : Exception(message)
{
    /// <summary>The target's status code; null when no answer came (timeout, network error).</summary>
    public int? StatusCode { get; } = statusCode;
}
