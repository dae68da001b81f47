namespace Dashboard.Web.Api;

/// <summary>What the HTTP API logs. The key's name identifies the caller; the key itself never reaches a log.</summary>
internal static partial class JobsApiLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Enqueued {JobName} as job {JobId} in queue {Queue} for API key {ApiKeyName}")]
    public static partial void Enqueued(ILogger logger, string jobName, string jobId, string queue, string apiKeyName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected enqueue of {JobName} from {RemoteIp}: {Reason}")]
    public static partial void Unauthorized(ILogger logger, string jobName, string? remoteIp, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected enqueue of {JobName} for API key {ApiKeyName} with {StatusCode}: {Reason}")]
    public static partial void Rejected(ILogger logger, string jobName, string apiKeyName, int statusCode, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store job {JobName} for API key {ApiKeyName}")]
    public static partial void StorageFailed(ILogger logger, Exception exception, string jobName, string apiKeyName);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not read the API keys to authenticate an enqueue of {JobName}")]
    public static partial void KeysUnavailable(ILogger logger, Exception exception, string jobName);
}
