using System.Security.Cryptography;
using System.Text;
using Dashboard.Jobs.Webhooks;

namespace Dashboard.Jobs.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    private const string Secret = "whsec_0123456789abcdef0123456789abcdef";
    private const string Body = "{\"order\":42,\"total\":1.10,\"name\":\"Zoë\"}";

    [Fact]
    public void Compute_KnownVector_MatchesHmacComputedElsewhere()
    {
        // Computed with Python: hmac.new(secret, b"1767225600." + body_utf8, hashlib.sha256).hexdigest()
        const string Expected = "sha256=29fe354aff0fbccf03eb78abc467373fae592f7dfbd84a46dfe3f34909136018";

        Assert.Equal(Expected, WebhookSignature.Compute(Secret, 1_767_225_600, Encoding.UTF8.GetBytes(Body)));
    }

    [Fact]
    public void Compute_AnyInput_EqualsHmacOfTimestampDotBody()
    {
        var body = Encoding.UTF8.GetBytes("[1,2,3]");
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(Secret));
        var expected = "sha256=" + Convert.ToHexString(hmac.ComputeHash(Encoding.UTF8.GetBytes("1700000000.[1,2,3]"))).ToLowerInvariant();

        Assert.Equal(expected, WebhookSignature.Compute(Secret, 1_700_000_000, body));
    }

    [Fact]
    public void Compute_DifferentTimestamp_ChangesTheSignature()
    {
        var body = Encoding.UTF8.GetBytes(Body);

        Assert.NotEqual(WebhookSignature.Compute(Secret, 1, body), WebhookSignature.Compute(Secret, 2, body));
    }
}
