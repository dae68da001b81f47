using System.Text.Json;

namespace Dashboard.Web.Api;

/// <summary>
/// Every error of the HTTP API as <c>application/problem+json</c> (RFC 9457), with a detail that tells the caller
/// what to change. Field errors use <c>errors</c> keyed by the camelCase field name, as ASP.NET Core's own do.
/// </summary>
internal static class ApiProblems
{
    public static IResult Unauthorized(HttpResponse response, bool keyPresented)
    {
        // RFC 6750: a challenge names the scheme, and says invalid_token when a token was sent but not accepted.
        response.Headers.WWWAuthenticate = keyPresented ? "Bearer error=\"invalid_token\"" : "Bearer";
        return Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: keyPresented ? "Unknown API key" : "API key required",
            detail: $"Send the header 'Authorization: Bearer <api key>'. Keys are configured as {ApiKeyOptions.Section}:<name>.");
    }

    public static IResult UnknownJob(string name, IEnumerable<string> known)
    {
        var names = known.ToArray();
        return Results.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "Unknown job",
            detail: $"There is no job named '{name}'. Known jobs: {string.Join(", ", names)}.",
            extensions: new Dictionary<string, object?> { ["knownJobs"] = names });
    }

    public static IResult UnsupportedMediaType(string? contentType) => Results.Problem(
        statusCode: StatusCodes.Status415UnsupportedMediaType,
        title: "Unsupported media type",
        detail: contentType is null
            ? "The body must be JSON: send 'Content-Type: application/json'."
            : $"The body must be JSON ('Content-Type: application/json'), not '{contentType}'.");

    public static IResult TooLarge(int limit) => Results.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Body too large",
        detail: $"The body may be at most {limit} bytes. Job arguments should be small: ids, not data.");

    public static IResult MalformedJson(JsonException ex)
    {
        // The reader's message ends with a zero-based position; callers count lines and bytes from one.
        var message = ex.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        message = cut < 0 ? message : message[..cut];
        var line = (ex.LineNumber ?? 0) + 1;
        var position = (ex.BytePositionInLine ?? 0) + 1;
        return Results.Problem(
            statusCode: StatusCodes.Status400BadRequest,
            title: "Malformed JSON",
            detail: $"The body is not valid JSON at line {line}, byte {position}{(ex.Path is { Length: > 1 } ? $" ({ex.Path})" : "")}: {message}",
            extensions: new Dictionary<string, object?> { ["line"] = line, ["bytePosition"] = position });
    }

    public static IResult NotAnObject(JsonValueKind kind) => Results.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: "Arguments must be a JSON object",
        detail: $"The body must be a JSON object of the job's arguments, not {kind.ToString().ToLowerInvariant()}.");

    public static IResult InvalidArguments(Dictionary<string, string[]> errors) => Results.ValidationProblem(
        errors,
        title: "Invalid job arguments",
        detail: $"Fix these fields: {string.Join(", ", errors.Keys)}.");

    public static IResult UnknownQueue(string queue, IEnumerable<string> queues) => Results.ValidationProblem(
        new Dictionary<string, string[]> { ["queue"] = [$"Unknown queue '{queue}'. The queues are: {string.Join(", ", queues)}."] },
        title: "Unknown queue",
        detail: "The 'queue' parameter must name one of the configured queues (Dashboard:Hangfire:Queues).");

    /// <summary>403 for a job outside the key's scope. Names the key so its owner knows which setting to change; never its value.</summary>
    public static IResult JobNotInScope(string keyName, string job, IEnumerable<string> allowed)
    {
        var jobs = allowed.ToArray();
        return Results.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Job not allowed for this API key",
            detail: $"The API key '{keyName}' may not enqueue '{job}'. It may enqueue: {string.Join(", ", jobs)}.",
            extensions: new Dictionary<string, object?> { ["apiKey"] = keyName, ["allowedJobs"] = jobs });
    }

    /// <summary>403 for a queue (asked for, or the job's own) outside the key's scope.</summary>
    public static IResult QueueNotInScope(string keyName, string queue, bool requested, IEnumerable<string> allowed)
    {
        var queues = allowed.ToArray();
        var which = requested ? $"into queue '{queue}'" : $"into queue '{queue}', the job's own queue (choose one with ?queue=)";
        return Results.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Queue not allowed for this API key",
            detail: $"The API key '{keyName}' may not enqueue {which}. Its queues: {string.Join(", ", queues)}.",
            extensions: new Dictionary<string, object?> { ["apiKey"] = keyName, ["allowedQueues"] = queues });
    }

    /// <summary>429 with <c>Retry-After</c> in whole seconds (RFC 9110 §10.2.3).</summary>
    public static IResult TooManyRequests(HttpResponse response, string keyName, int requestsPerMinute, TimeSpan retryAfter)
    {
        var seconds = (long)Math.Ceiling(retryAfter.TotalSeconds);
        response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many requests",
            detail: $"The API key '{keyName}' may send {requestsPerMinute} requests a minute to each server. Retry after {seconds} s.",
            extensions: new Dictionary<string, object?> { ["apiKey"] = keyName, ["retryAfterSeconds"] = seconds });
    }

    public static IResult StorageUnavailable() => Results.Problem(
        statusCode: StatusCodes.Status503ServiceUnavailable,
        title: "Job storage unavailable",
        detail: "The job could not be stored; nothing was enqueued. Try again shortly.");
}
