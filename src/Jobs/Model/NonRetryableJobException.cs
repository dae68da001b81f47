namespace Dashboard.Jobs.Model;

/// <summary>
/// A failure that retrying cannot fix (bad arguments, a 4xx from a webhook target, an unknown job class): the retry
/// policy sends the job straight to Failed with this message as the reason.
/// </summary>
public sealed class NonRetryableJobException : Exception
{
    public NonRetryableJobException(string message)
        : base(message)
    {
    }

    public NonRetryableJobException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
