using Dashboard.Jobs.Tests.Hosting;
using Dashboard.Jobs.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Dashboard.Jobs.Tests.Webhooks;

public sealed class WebhookOptionsTests
{
    private const string GoodSecret = "0123456789abcdef0123456789abcdef";

    [Fact]
    public void Validate_Defaults_AreValidWithoutASecret()
    {
        // Replicas that never send webhooks start without one; a delivery then fails with a clear reason.
        Assert.Empty(HangfireOptionsTests.Validate(new WebhookOptions()));
    }

    [Fact]
    public void Defaults_TimeoutAndPayloadLimit_AreTenSecondsAnd256KiB()
    {
        var options = new WebhookOptions();

        Assert.Equal(TimeSpan.FromSeconds(10), options.Timeout);
        Assert.Equal(256 * 1024, options.MaxPayloadBytes);
    }

    [Fact]
    public void Validate_ShortSecret_NamesTheKeyAndTheEnvironmentVariable()
    {
        var error = Assert.Single(HangfireOptionsTests.Validate(new WebhookOptions { SigningSecret = "too-short" }));

        Assert.Contains("Dashboard:Webhooks:SigningSecret", error, StringComparison.Ordinal);
        Assert.Contains("Dashboard__Webhooks__SigningSecret", error, StringComparison.Ordinal);
        Assert.Contains("32", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EmptySecret_CountsAsNotSet()
    {
        // docker-compose turns an unset ${VARIABLE} into an empty value.
        Assert.Empty(HangfireOptionsTests.Validate(new WebhookOptions { SigningSecret = "" }));
    }

    [Fact]
    public void Validate_ThirtyTwoCharacterSecret_IsValid()
    {
        Assert.Empty(HangfireOptionsTests.Validate(new WebhookOptions { SigningSecret = GoodSecret }));
    }

    [Fact]
    public void Validate_SecretsList_NamesTheShortEntryByIndexWithoutItsValue()
    {
        var error = Assert.Single(HangfireOptionsTests.Validate(new WebhookOptions { Secrets = [GoodSecret, "", "too-short-secret"] }));

        Assert.Contains("Dashboard:Webhooks:Secrets:2", error, StringComparison.Ordinal);
        Assert.Contains("Dashboard__Webhooks__Secrets__2", error, StringComparison.Ordinal);
        Assert.DoesNotContain("too-short-secret", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", null)]
    [InlineData("whsec_c2hvcnQ=", "its key is 5 bytes; at least 24")]
    [InlineData("whsec_not base64 at all, but long enough!!", "the rest is not base64")]
    public void Validate_StandardWebhooksSecret_NeedsBase64OfAtLeast24Bytes(string secret, string? problem)
    {
        var errors = HangfireOptionsTests.Validate(new WebhookOptions { SigningSecret = secret });

        if (problem is null)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.Contains(problem, Assert.Single(errors), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ActiveSecrets_SigningSecretThenSecrets_WithoutEmptyOrRepeatedEntries()
    {
        var options = new WebhookOptions { SigningSecret = "a" + GoodSecret, Secrets = ["", "b" + GoodSecret, "a" + GoodSecret] };

        Assert.Equal(["a" + GoodSecret, "b" + GoodSecret], options.ActiveSecrets());
        Assert.Equal(["b" + GoodSecret], new WebhookOptions { Secrets = ["b" + GoodSecret] }.ActiveSecrets());
        Assert.Empty(new WebhookOptions { SigningSecret = "" }.ActiveSecrets());
    }

    [Fact]
    public void KeyOf_StandardSecretIsItsBase64Bytes_PlainSecretItsUtf8Bytes()
    {
        Assert.Equal(Convert.FromBase64String("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), WebhookOptions.KeyOf("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
        Assert.Equal("plain-secret-é"u8.ToArray(), WebhookOptions.KeyOf("plain-secret-é"));
    }

    [Theory]
    [InlineData("10.1.2.3/24")]
    [InlineData("10.1.2.0")]
    [InlineData("localhost")]
    [InlineData("10.0.0.0/33")]
    public void Validate_AllowPrivateNetworksNotACidrRange_NamesTheKeyAndTheEntry(string entry)
    {
        var error = Assert.Single(HangfireOptionsTests.Validate(new WebhookOptions { AllowPrivateNetworks = [entry] }));

        Assert.Contains("Dashboard:Webhooks:AllowPrivateNetworks", error, StringComparison.Ordinal);
        Assert.Contains($"'{entry}'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AllowedPrivateNetworks_ValidEntries_AreParsed()
    {
        var options = new WebhookOptions { AllowPrivateNetworks = ["127.0.0.0/8", " ::1/128 ", "10.1.2.0/24"] };

        Assert.Empty(HangfireOptionsTests.Validate(options));
        Assert.Equal(["127.0.0.0/8", "::1/128", "10.1.2.0/24"], options.AllowedPrivateNetworks().Select(n => n.ToString()));
    }

    [Fact]
    public void AddWebhookJobs_BadPrivateNetworkInConfiguration_FailsAtStartWithTheKey()
    {
        using var host = Build(new() { ["Dashboard:Webhooks:AllowPrivateNetworks:0"] = "10.0.0.1/8" });

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<WebhookOptions>>().Value);

        Assert.Contains("Dashboard:Webhooks:AllowPrivateNetworks contains '10.0.0.1/8'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(301)]
    public void Validate_TimeoutOutOfRange_NamesTheKey(int seconds)
    {
        var error = Assert.Single(HangfireOptionsTests.Validate(new WebhookOptions { Timeout = TimeSpan.FromSeconds(seconds) }));

        Assert.Contains("Dashboard:Webhooks:Timeout", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MaxPayloadBytesZero_NamesTheKey()
    {
        var error = Assert.Single(HangfireOptionsTests.Validate(new WebhookOptions { MaxPayloadBytes = 0 }));

        Assert.Contains("Dashboard:Webhooks:MaxPayloadBytes", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AllowedHostThatIsAUrl_NamesTheKeyAndTheEntry()
    {
        var error = Assert.Single(HangfireOptionsTests.Validate(new WebhookOptions { AllowedHosts = ["https://hooks.example.com/x"] }));

        Assert.Contains("Dashboard:Webhooks:AllowedHosts", error, StringComparison.Ordinal);
        Assert.Contains("'https://hooks.example.com/x'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hooks.example.com", true)]
    [InlineData("HOOKS.example.com", true)]
    [InlineData("a.partner.net", true)]
    [InlineData("a.b.partner.net", true)]
    [InlineData("partner.net", false)]
    [InlineData("evilpartner.net", false)]
    [InlineData("example.com", false)]
    [InlineData("169.254.169.254", false)]
    public void AllowsHost_ExactAndWildcardEntries_MatchOnlyThoseHosts(string host, bool allowed)
    {
        var options = new WebhookOptions { AllowedHosts = ["hooks.example.com", "*.partner.net"] };

        Assert.Equal(allowed, options.AllowsHost(host));
    }

    [Fact]
    public void AllowsHost_NoList_AllowsAnyHost()
    {
        Assert.True(new WebhookOptions().AllowsHost("anything.internal"));
    }

    [Fact]
    public void AddWebhookJobs_ShortSecretInConfiguration_FailsWithTheKey()
    {
        using var host = Build(new() { ["Dashboard:Webhooks:SigningSecret"] = "short" });

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<WebhookOptions>>().Value);

        Assert.Contains("Dashboard:Webhooks:SigningSecret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddWebhookJobs_Configuration_IsBoundAndClientRegistered()
    {
        using var host = Build(new()
        {
            ["Dashboard:Webhooks:SigningSecret"] = GoodSecret,
            ["Dashboard:Webhooks:Timeout"] = "00:00:03",
            ["Dashboard:Webhooks:AllowedHosts:0"] = "hooks.example.com",
            ["Dashboard:Webhooks:Secrets:0"] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            ["Dashboard:Webhooks:AllowPrivateNetworks:0"] = "10.1.2.0/24",
        });

        var options = host.Services.GetRequiredService<IOptions<WebhookOptions>>().Value;
        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient(DeliverWebhookJob.HttpClientName);

        Assert.Equal(GoodSecret, options.SigningSecret);
        Assert.Equal(TimeSpan.FromSeconds(3), options.Timeout);
        Assert.Equal(["hooks.example.com"], options.AllowedHosts);
        Assert.Equal([GoodSecret, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"], options.ActiveSecrets());
        Assert.Equal(["10.1.2.0/24"], options.AllowPrivateNetworks);
        Assert.Equal(Timeout.InfiniteTimeSpan, client.Timeout);
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddWebhookJobs();
        return builder.Build();
    }
}
