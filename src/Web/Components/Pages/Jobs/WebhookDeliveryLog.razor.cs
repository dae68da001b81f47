namespace Dashboard.Web.Components.Pages.Jobs;

public partial class WebhookDeliveryLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the delivery log of job {JobId}")]
    private static partial void LogReadFailed(ILogger logger, Exception exception, string jobId);
}
