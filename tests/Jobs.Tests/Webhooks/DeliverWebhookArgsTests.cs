using System.ComponentModel.DataAnnotations;
using Dashboard.Jobs.Webhooks;
using Hangfire.Common;

namespace Dashboard.Jobs.Tests.Webhooks;

public sealed class DeliverWebhookArgsTests
{
    private static readonly DeliverWebhookArgs Valid = new("order-42-paid", "https://hooks.example.com/in?token=abc", "order.paid", "{\"order\":42}");

    [Fact]
    public void Validate_WellFormedArgs_HaveNoErrors()
    {
        Assert.Empty(Validate(Valid));
    }

    [Theory]
    [InlineData("ftp://files.example.com/in")]
    [InlineData("file:///etc/passwd")]
    [InlineData("/relative/path")]
    [InlineData("hooks.example.com/in")]
    [InlineData("not a url")]
    public void Validate_UrlNotAbsoluteHttp_IsRejected(string url)
    {
        var error = Assert.Single(Validate(Valid with { Url = url }));

        Assert.Equal("url must be an absolute http or https URL.", error);
    }

    [Fact]
    public void Validate_HttpUrl_IsAccepted()
    {
        Assert.Empty(Validate(Valid with { Url = "http://127.0.0.1:8080/hook" }));
    }

    [Theory]
    [InlineData("{\"order\":")]
    [InlineData("order=42")]
    [InlineData("")]
    public void Validate_PayloadNotJson_IsRejected(string payload)
    {
        var errors = Validate(Valid with { PayloadJson = payload });

        Assert.Contains(errors, e => e.StartsWith("payloadJson", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_DeliveryKeyLongerThanTheLogColumn_IsRejected()
    {
        var error = Assert.Single(Validate(Valid with { DeliveryKey = new string('k', 201) }));

        Assert.Equal("deliveryKey must be at most 200 characters.", error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("order paid")]
    [InlineData("order.paid\r\nX-Injected: 1")]
    public void Validate_EventTypeThatIsNotAHeaderToken_IsRejected(string eventType)
    {
        var errors = Validate(Valid with { EventType = eventType });

        Assert.Contains(errors, e => e.StartsWith("eventType", StringComparison.Ordinal));
    }

    [Fact]
    public void Serialize_ThroughHangfiresArgumentSerializer_KeepsThePayloadByteForByte()
    {
        // Decimals with trailing zeros, non-ASCII and escapes are what a JSON object model would rewrite.
        var args = Valid with { PayloadJson = "{\"total\":1.10,\"big\":12345678901234567890,\"name\":\"Zoë \\u2603\",\"nested\":{\"a\":[1,null,true]}}" };

        var json = SerializationHelper.Serialize(args, SerializationOption.User);
        var back = SerializationHelper.Deserialize<DeliverWebhookArgs>(json, SerializationOption.User);

        Assert.Equal(args, back);
    }

    [Fact]
    public void SerializeJob_EnqueueExpression_RoundTripsTheArguments()
    {
        var job = Job.FromExpression<DeliverWebhookJob>(j => j.RunAsync(Valid, CancellationToken.None));

        var stored = Hangfire.Storage.InvocationData.SerializeJob(job);
        var loaded = stored.DeserializeJob();

        Assert.Equal(typeof(DeliverWebhookJob), loaded.Type);
        Assert.Equal(Valid, loaded.Args[0]);
    }

    private static List<string> Validate(DeliverWebhookArgs args)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(args, new ValidationContext(args), results, validateAllProperties: true);
        return [.. results.Select(r => r.ErrorMessage ?? "")];
    }
}
