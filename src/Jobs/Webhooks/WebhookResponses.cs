using Dashboard.Data.Entities;

namespace Dashboard.Jobs.Webhooks;

/// <summary>What an HTTP status from a webhook target means for the delivery.</summary>
public static class WebhookResponses
{
    /// <summary>
    /// 2xx is delivered. 5xx, 408 (request timeout) and 429 (rate limited) say "later", so they are retried. Any
    /// other answer, 3xx included, will not change on retry: redirects are not followed, because re-sending a signed
    /// POST to wherever a target points would let it forward deliveries anywhere, and a moved endpoint is a
    /// configuration fix.
    /// </summary>
    public static WebhookOutcome Classify(int statusCode) => statusCode switch
    {
        >= 200 and <= 299 => WebhookOutcome.Delivered,
        408 or 429 => WebhookOutcome.RetryableFailure,
        >= 500 and <= 599 => WebhookOutcome.RetryableFailure,
        _ => WebhookOutcome.PermanentFailure,
    };
}
