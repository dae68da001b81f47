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
        });

        var options = host.Services.GetRequiredService<IOptions<WebhookOptions>>().Value;
        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient(DeliverWebhookJob.HttpClientName);

        Assert.Equal(GoodSecret, options.SigningSecret);
        Assert.Equal(TimeSpan.FromSeconds(3), options.Timeout);
        Assert.Equal(["hooks.example.com"], options.AllowedHosts);
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
