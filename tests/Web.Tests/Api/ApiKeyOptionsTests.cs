using Dashboard.Web.Api;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Dashboard.Web.Tests.Api;

public sealed class ApiKeyOptionsTests
{
    [Fact]
    public void AddJobsApi_KeysInConfiguration_ReadsEveryName()
    {
        using var services = Services(new()
        {
            ["Dashboard:ApiKeys:ci"] = "ci-0123456789abcdef",
            ["Dashboard:ApiKeys:billing"] = "billing-fedcba9876543210",
        });

        var store = services.GetRequiredService<ApiKeyStore>();

        Assert.Equal(["billing", "ci"], store.Names);
        Assert.Equal("billing", store.Authenticate("billing-fedcba9876543210"));
    }

    [Fact]
    public void AddJobsApi_NoKeysConfigured_StartsWithNone()
    {
        using var services = Services([]);

        Assert.Empty(services.GetRequiredService<ApiKeyStore>().Names);
    }

    [Fact]
    public void AddJobsApi_ShortKey_FailsNamingTheSetting()
    {
        using var services = Services(new() { ["Dashboard:ApiKeys:ci"] = "too-short" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ApiKeyOptions>>().Value);

        Assert.Contains("Dashboard:ApiKeys:ci is too short", error.Message, StringComparison.Ordinal);
        Assert.Contains("16", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddJobsApi_EmptyKey_FailsNamingTheSetting()
    {
        using var services = Services(new() { ["Dashboard:ApiKeys:ci"] = "" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ApiKeyOptions>>().Value);

        Assert.Contains("Dashboard:ApiKeys:ci is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddJobsApi_SameKeyUnderTwoNames_FailsNamingBoth()
    {
        using var services = Services(new()
        {
            ["Dashboard:ApiKeys:ci"] = "shared-0123456789abcdef",
            ["Dashboard:ApiKeys:billing"] = "shared-0123456789abcdef",
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ApiKeyOptions>>().Value);

        Assert.Contains("Dashboard:ApiKeys:billing and Dashboard:ApiKeys:ci have the same key", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddJobsApi();
        return services.BuildServiceProvider();
    }
}
