using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace Dashboard.Jobs.Webhooks;

/// <summary>Arguments of <see cref="DeliverWebhookJob"/>; the HTTP API validates them with the same attributes.</summary>
/// <param name="DeliveryKey">
/// The caller's id of this delivery, sent as <c>webhook-id</c> (and signed with the body) on every attempt so receivers can drop
/// duplicates; a key already delivered is not sent again.
/// </param>
/// <param name="EventType">Sent as <c>X-Dashboard-Event</c>, e.g. <c>order.paid</c>.</param>
/// <param name="PayloadJson">
/// The JSON body, as text: Hangfire stores arguments with Newtonsoft.Json, which would turn a
/// <see cref="JsonElement"/> into its property bag; a string survives the round trip byte for byte, and the bytes
/// signed are exactly the bytes the caller gave.
/// </param>
public sealed record DeliverWebhookArgs(
    [property: Required(ErrorMessage = "deliveryKey is required.")]
    [property: StringLength(200, ErrorMessage = "deliveryKey must be at most 200 characters.")]
    string DeliveryKey,
    [property: Required(ErrorMessage = "url is required.")]
    [property: StringLength(2048, ErrorMessage = "url must be at most 2048 characters.")]
    [property: HttpUrl(ErrorMessage = "url must be an absolute http or https URL.")]
    string Url,
    [property: Required(ErrorMessage = "eventType is required.")]
    [property: StringLength(100, ErrorMessage = "eventType must be at most 100 characters.")]
    [property: RegularExpression(@"^[A-Za-z0-9][A-Za-z0-9._:\-]*$", ErrorMessage = "eventType may contain only letters, digits and . _ : -")]
    string EventType,
    [property: Required(ErrorMessage = "payloadJson is required.")]
    [property: JsonText(ErrorMessage = "payloadJson must be valid JSON.")]
    string PayloadJson);

/// <summary>An absolute <c>http</c> or <c>https</c> URL; <see cref="UrlAttribute"/> also lets <c>ftp:</c> through.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class HttpUrlAttribute : ValidationAttribute
{
    public HttpUrlAttribute()
        : base("{0} must be an absolute http or https URL.")
    {
    }

    public override bool IsValid(object? value) =>
        value is null
        || (value is string text
            && Uri.TryCreate(text, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && !string.IsNullOrEmpty(uri.Host));
}

/// <summary>
/// Text that parses as one JSON value. Checked when the job is enqueued, so a malformed payload is a 400 for the
/// caller instead of a delivery receivers reject.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class JsonTextAttribute : ValidationAttribute
{
    public JsonTextAttribute()
        : base("{0} must be valid JSON.")
    {
    }

    public override bool IsValid(object? value)
    {
        if (value is not string text)
        {
            return value is null;
        }

        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
