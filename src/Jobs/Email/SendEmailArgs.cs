using System.ComponentModel.DataAnnotations;

namespace Dashboard.Jobs.Email;

/// <summary>Arguments of <see cref="SendEmailJob"/>; the HTTP API validates the same attributes before enqueueing.</summary>
/// <param name="MessageKey">
/// The caller's idempotency key: one key is one email, however often it is enqueued. It also becomes the Message-Id,
/// so the characters are those that survive in a header and a URL path without escaping.
/// </param>
/// <param name="To">One recipient; a display name is not needed for transactional mail and is not accepted.</param>
/// <param name="Body">Plain text. Arguments live in Hangfire's job table, so the size is capped.</param>
public sealed record SendEmailArgs(
    [property: Required(ErrorMessage = "MessageKey is required.")]
    [property: StringLength(SendEmailArgs.MaxKeyLength, ErrorMessage = "MessageKey must be at most 200 characters.")]
    [property: RegularExpression(SendEmailArgs.KeyPattern, ErrorMessage = "MessageKey may contain only letters, digits and . _ - : / + =")]
    string MessageKey,
    [property: Required(ErrorMessage = "To is required.")]
    [property: StringLength(320, ErrorMessage = "To must be at most 320 characters.")]
    [property: EmailAddress(ErrorMessage = "To must be an email address.")]
    string To,
    [property: Required(ErrorMessage = "Subject is required.")]
    [property: StringLength(998, ErrorMessage = "Subject must be at most 998 characters.")]
    string Subject,
    [property: Required(ErrorMessage = "Body is required.")]
    [property: StringLength(SendEmailArgs.MaxBodyLength, ErrorMessage = "Body must be at most 100000 characters.")]
    string Body)
{
    /// <summary>The width of <c>email_deliveries.message_key</c>.</summary>
    public const int MaxKeyLength = 200;

    public const int MaxBodyLength = 100_000;

    /// <summary>Starts with a letter or digit, so a key is never mistaken for an option or a relative path.</summary>
    public const string KeyPattern = @"^[A-Za-z0-9][A-Za-z0-9._:/+=-]*$";
}
