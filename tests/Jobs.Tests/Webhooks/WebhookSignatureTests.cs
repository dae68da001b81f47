using System.Text;
using Dashboard.Jobs.Webhooks;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace Dashboard.Jobs.Tests.Webhooks;

/// <summary>
/// Our signer against the StandardWebhooks package's verifier: what a receiver using any Standard Webhooks library
/// would run.
/// </summary>
public sealed class WebhookSignatureTests
{
    // The example key of the Standard Webhooks spec (24 bytes) and a second, plain-text one.
    private const string StandardSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string PlainSecret = "plain-secret-0123456789abcdef0123456789";
    private const string Body = "{\"order\":42,\"total\":1.10,\"name\":\"Zoë\"}";

    [Fact]
    public void Compute_KnownVectors_MatchHmacComputedElsewhere()
    {
        // Computed with Python: base64(hmac.new(key, b"<id>.<timestamp>." + body_utf8, hashlib.sha256).digest()),
        // key = base64-decoded part after whsec_, or the UTF-8 bytes of a plain secret.
        var body = Encoding.UTF8.GetBytes(Body);

        Assert.Equal(
            "v1,aICtpYrP4SWWdl4zRJT4DdWHv8KVAFDCnU9Rh7lQLlQ=",
            WebhookSignature.Compute([StandardSecret], "msg_p5jXN8AQM9LWM0D4loKWxJek", 1_614_265_330, body));
        Assert.Equal(
            "v1,VgWyDlIfSwtwQIUXzwFl3N/3T3KK3kvUnB+R0nYGLmI=",
            WebhookSignature.Compute([PlainSecret], "order-42-paid", 1_767_225_600, body));
    }

    [Fact]
    public void Compute_TwoSecrets_OneSpaceSeparatedEntryPerSecretInOrder()
    {
        var body = Encoding.UTF8.GetBytes(Body);

        var both = WebhookSignature.Compute([StandardSecret, PlainSecret], "order-42-paid", 1_767_225_600, body);

        Assert.Equal(
            WebhookSignature.Compute([StandardSecret], "order-42-paid", 1_767_225_600, body) + " "
                + WebhookSignature.Compute([PlainSecret], "order-42-paid", 1_767_225_600, body),
            both);
    }

    [Fact]
    public void Verify_TwoSecrets_TheLibraryAcceptsEitherSecret()
    {
        // StandardWebhooks 1.1.2 compares only the first entry of the header (see the next test), so each secret is
        // verified with its own entry first: the header as sent with that secret listed first.
        var standardFirst = Signed("order-42-paid", [StandardSecret, PlainSecret]);
        var plainFirst = Signed("order-42-paid", [PlainSecret, StandardSecret]);

        new StandardWebhook(StandardSecret).Verify(Body, standardFirst);
        // The library reads a string key as base64 only; a plain secret's key is its UTF-8 bytes.
        new StandardWebhook(Encoding.UTF8.GetBytes(PlainSecret)).Verify(Body, plainFirst);
        // Our own verifier, the README's, accepts either secret in either position.
        foreach (var headers in new[] { standardFirst, plainFirst })
        {
            Assert.True(ReadmeVerifier(StandardSecret, headers));
            Assert.True(ReadmeVerifier(PlainSecret, headers));
        }
    }

    [Fact]
    public void Verify_StandardWebhooks112_ChecksOnlyTheFirstEntryOfTheHeader()
    {
        // A limitation of the package, recorded so the README's advice is checked: its loop stops before the last
        // space-separated entry. If this starts failing, the package was fixed and the README note can go.
        var headers = Signed("order-42-paid", [StandardSecret, PlainSecret]);

        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(Encoding.UTF8.GetBytes(PlainSecret)).Verify(Body, headers));
    }

    [Fact]
    public void Verify_SecretNotAmongTheSigners_IsRejected()
    {
        var headers = Signed("order-42-paid", [PlainSecret]);

        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(StandardSecret).Verify(Body, headers));
    }

    [Fact]
    public void Verify_ReplayWithAChangedWebhookId_IsRejected()
    {
        // A captured request sent again under a new id, to get past the receiver's duplicate check.
        var headers = Signed("order-42-paid", [StandardSecret, PlainSecret]);
        headers[WebhookSignature.IdHeader] = "order-42-paid-again";

        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(StandardSecret).Verify(Body, headers));
        Assert.False(ReadmeVerifier(StandardSecret, headers));
        Assert.False(ReadmeVerifier(PlainSecret, headers));
    }

    [Fact]
    public void Verify_ChangedTimestampOrBody_IsRejected()
    {
        var laterTimestamp = Signed("order-42-paid", [StandardSecret]);
        laterTimestamp[WebhookSignature.TimestampHeader] = (DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var verifier = new StandardWebhook(StandardSecret);

        Assert.Throws<WebhookVerificationException>(() => verifier.Verify(Body, laterTimestamp));
        Assert.Throws<WebhookVerificationException>(() => verifier.Verify(Body.Replace("42", "43", StringComparison.Ordinal), Signed("order-42-paid", [StandardSecret])));
    }

    private static bool ReadmeVerifier(string secret, HeaderDictionary headers) =>
        WebhookReceiverExample.IsAuthentic(
            secret,
            headers[WebhookSignature.IdHeader].ToString(),
            headers[WebhookSignature.TimestampHeader].ToString(),
            headers[WebhookSignature.SignatureHeader].ToString(),
            Encoding.UTF8.GetBytes(Body));

    private static HeaderDictionary Signed(string id, string[] secrets)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new HeaderDictionary
        {
            [WebhookSignature.IdHeader] = id,
            [WebhookSignature.TimestampHeader] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [WebhookSignature.SignatureHeader] = WebhookSignature.Compute(secrets, id, timestamp, Encoding.UTF8.GetBytes(Body)),
        };
    }
}
