using Dashboard.Jobs.Hosting;
using Dashboard.Jobs.Model;
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
        Assert.Equal("billing", store.Authenticate("billing-fedcba9876543210")?.Name);
    }

    [Fact]
    public void AddJobsApi_ShortForm_EveryJobEveryQueueDefaultRate()
    {
        using var services = Services(new() { ["Dashboard:ApiKeys:ci"] = "ci-0123456789abcdef" });

        var scope = services.GetRequiredService<ApiKeyStore>().Authenticate("ci-0123456789abcdef")!.Scope;

        Assert.Null(scope.Jobs);
        Assert.Null(scope.Queues);
        Assert.Equal(ApiKeyScope.DefaultRequestsPerMinute, scope.RequestsPerMinute);
        Assert.True(scope.AllowsJob("send-email"));
        Assert.True(scope.AllowsQueue("critical"));
    }

    [Fact]
    public void AddJobsApi_LongForm_BindsKeyJobsQueuesAndRate()
    {
        using var services = Services(new()
        {
            ["Dashboard:ApiKeys:billing:Key"] = "billing-fedcba9876543210",
            ["Dashboard:ApiKeys:billing:Jobs:0"] = "send-email",
            ["Dashboard:ApiKeys:billing:Jobs:1"] = "diagnostics",
            ["Dashboard:ApiKeys:billing:Queues:0"] = "low",
            ["Dashboard:ApiKeys:billing:RequestsPerMinute"] = "30",
            ["Dashboard:ApiKeys:ci"] = "ci-0123456789abcdef",
        });

        var store = services.GetRequiredService<ApiKeyStore>();
        var billing = store.Authenticate("billing-fedcba9876543210")!;

        Assert.Equal(["billing", "ci"], store.Names);
        Assert.Equal("billing", billing.Name);
        Assert.Equal(["diagnostics", "send-email"], billing.Scope.Jobs);
        Assert.Equal(["low"], billing.Scope.Queues);
        Assert.Equal(30, billing.Scope.RequestsPerMinute);
        Assert.False(billing.Scope.AllowsJob("deliver-webhook"));
        Assert.False(billing.Scope.AllowsQueue("default"));
        Assert.Null(store.Authenticate("ci-0123456789abcdef")!.Scope.Jobs);
    }

    [Fact]
    public void AddJobsApi_LongFormFromEnvironmentStyleSingleValue_IsAListOfOne()
    {
        using var services = Services(new()
        {
            ["Dashboard:ApiKeys:billing:Key"] = "billing-fedcba9876543210",
            ["Dashboard:ApiKeys:billing:Jobs"] = "diagnostics",
        });

        Assert.Equal(["diagnostics"], services.GetRequiredService<ApiKeyStore>().Authenticate("billing-fedcba9876543210")!.Scope.Jobs);
    }

    [Fact]
    public void AddJobsApi_UnknownJobName_FailsNamingTheSettingAndTheJobs()
    {
        using var services = Services(new()
        {
            ["Dashboard:ApiKeys:billing:Key"] = "billing-fedcba9876543210",
            ["Dashboard:ApiKeys:billing:Jobs:0"] = "diagnostics",
            ["Dashboard:ApiKeys:billing:Jobs:1"] = "send-mail",
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ApiKeyOptions>>().Value);

        Assert.Contains("Dashboard:ApiKeys:billing:Jobs:1 is 'send-mail', which is not a job", error.Message, StringComparison.Ordinal);
        Assert.Contains("send-email", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddJobsApi_UnknownQueue_FailsNamingTheSetting()
    {
        using var services = Services(new()
        {
            ["Dashboard:ApiKeys:billing:Key"] = "billing-fedcba9876543210",
            ["Dashboard:ApiKeys:billing:Queues:0"] = "urgent",
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ApiKeyOptions>>().Value);

        Assert.Contains("Dashboard:ApiKeys:billing:Queues:0 is 'urgent', which is not a queue", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddJobsApi_EmptyJobEntry_FailsInsteadOfAllowingEveryJob()
    {
        using var services = Services(new()
        {
            ["Dashboard:ApiKeys:billing:Key"] = "billing-fedcba9876543210",
            ["Dashboard:ApiKeys:billing:Jobs:0"] = " ",
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ApiKeyOptions>>().Value);

        Assert.Contains("Dashboard:ApiKeys:billing:Jobs:0 is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddJobsApi_ParentWithEmptyValueAndEntries_ReadsTheEntries()
    {
        // As the test host (UseSetting) presents it: the list's parent has an empty value beside its entries.
        using var services = Services(new()
        {
            ["Dashboard:ApiKeys:billing:Key"] = "billing-fedcba9876543210",
            ["Dashboard:ApiKeys:billing:Jobs"] = "",
            ["Dashboard:ApiKeys:billing:Jobs:0"] = "diagnostics",
        });

        Assert.Equal(["diagnostics"], services.GetRequiredService<ApiKeyStore>().Authenticate("billing-fedcba9876543210")!.Scope.Jobs);
    }

    [Fact]
    public void AddJobsApi_EmptyListValue_FailsInsteadOfAllowingEveryJob()
    {
        using var services = Services(new()
        {
            ["Dashboard:ApiKeys:billing:Key"] = "billing-fedcba9876543210",
            ["Dashboard:ApiKeys:billing:Jobs"] = "",
        });

        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ApiKeyOptions>>().Value);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("ten")]
    [InlineData("60000000")]
    public void AddJobsApi_BadRate_FailsNamingTheSetting(string rate)
    {
        using var services = Services(new()
        {
            ["Dashboard:ApiKeys:billing:Key"] = "billing-fedcba9876543210",
            ["Dashboard:ApiKeys:billing:RequestsPerMinute"] = rate,
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ApiKeyOptions>>().Value);

        Assert.Contains($"Dashboard:ApiKeys:billing:RequestsPerMinute is '{rate}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddJobsApi_MisspeltSetting_FailsInsteadOfAllowingEveryJob()
    {
        using var services = Services(new()
        {
            ["Dashboard:ApiKeys:billing:Key"] = "billing-fedcba9876543210",
            ["Dashboard:ApiKeys:billing:Job:0"] = "diagnostics",
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ApiKeyOptions>>().Value);

        Assert.Contains("Dashboard:ApiKeys:billing:Job is not a setting of an API key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddJobsApi_LongFormWithoutKey_FailsNamingKeySetting()
    {
        using var services = Services(new() { ["Dashboard:ApiKeys:billing:Jobs:0"] = "diagnostics" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ApiKeyOptions>>().Value);

        Assert.Contains("Dashboard:ApiKeys:billing:Key is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddJobsApi_SameKeyInShortAndLongForm_FailsNamingBoth()
    {
        using var services = Services(new()
        {
            ["Dashboard:ApiKeys:ci"] = "shared-0123456789abcdef",
            ["Dashboard:ApiKeys:billing:Key"] = "shared-0123456789abcdef",
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ApiKeyOptions>>().Value);

        Assert.Contains("Dashboard:ApiKeys:billing and Dashboard:ApiKeys:ci have the same key", error.Message, StringComparison.Ordinal);
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
        // What the host registers beside the API: the job catalog and the queues, which scopes are checked against.
        services.AddSingleton(JobCatalog.FromAssembly(typeof(JobCatalog).Assembly));
        services.AddOptions<HangfireOptions>().Bind(configuration.GetSection(HangfireOptions.Section));
        services.AddJobsApi();
        return services.BuildServiceProvider();
    }
}
