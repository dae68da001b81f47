using Dashboard.Data.Entities;
using Dashboard.Jobs.Webhooks;

namespace Dashboard.Jobs.Tests.Webhooks;

public sealed class WebhookResponsesTests
{
    [Theory]
    [InlineData(200)]
    [InlineData(202)]
    [InlineData(204)]
    [InlineData(299)]
    public void Classify_2xx_IsDelivered(int status) =>
        Assert.Equal(WebhookOutcome.Delivered, WebhookResponses.Classify(status));

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    [InlineData(599)]
    public void Classify_5xx408And429_IsRetryable(int status) =>
        Assert.Equal(WebhookOutcome.RetryableFailure, WebhookResponses.Classify(status));

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(307)]
    [InlineData(308)]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(409)]
    [InlineData(410)]
    [InlineData(413)]
    [InlineData(422)]
    [InlineData(100)]
    public void Classify_RedirectsAndOther4xx_ArePermanent(int status) =>
        Assert.Equal(WebhookOutcome.PermanentFailure, WebhookResponses.Classify(status));
}
