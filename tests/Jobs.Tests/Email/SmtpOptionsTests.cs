using Dashboard.Jobs.Email;
using Dashboard.Jobs.Tests.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Dashboard.Jobs.Tests.Email;

public sealed class SmtpOptionsTests
{
    [Fact]
    public void Validate_HostAndFromSet_IsValidWithSafeDefaults()
    {
        var options = Valid();

        Assert.Empty(HangfireOptionsTests.Validate(options));
        Assert.Equal(25, options.Port);
        Assert.Equal(SmtpSecurity.StartTlsWhenAvailable, options.Security);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Timeout);
        Assert.Null(options.UserName);
        Assert.Null(options.Password);
    }

    [Fact]
    public void Validate_NoHost_NamesTheKey()
    {
        var error = Assert.Single(HangfireOptionsTests.Validate(new SmtpOptions { From = "app@example.com" }));

        Assert.Contains("Dashboard:Smtp:Host", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-an-address")]
    public void Validate_BadFrom_NamesTheKey(string from)
    {
        var error = Assert.Single(HangfireOptionsTests.Validate(new SmtpOptions { Host = "smtp.example.com", From = from }));

        Assert.Contains("Dashboard:Smtp:From", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(70000)]
    public void Validate_PortOutOfRange_NamesTheKey(int port)
    {
        var options = Valid();
        options.Port = port;

        Assert.Contains("Dashboard:Smtp:Port", Assert.Single(HangfireOptionsTests.Validate(options)), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UndefinedSecurityValue_NamesTheKey()
    {
        var options = Valid();
        options.Security = (SmtpSecurity)7;

        Assert.Contains("Dashboard:Smtp:Security", Assert.Single(HangfireOptionsTests.Validate(options)), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ZeroTimeout_NamesTheKey()
    {
        var options = Valid();
        options.Timeout = TimeSpan.Zero;

        Assert.Contains("Dashboard:Smtp:Timeout", Assert.Single(HangfireOptionsTests.Validate(options)), StringComparison.Ordinal);
    }

    [Fact]
    public void AddEmailJobs_Configuration_BindsTheSection()
    {
        using var provider = Build(new()
        {
            ["Dashboard:Smtp:Host"] = "smtp.example.com",
            ["Dashboard:Smtp:Port"] = "587",
            ["Dashboard:Smtp:From"] = "app@example.com",
            ["Dashboard:Smtp:Security"] = "StartTls",
            ["Dashboard:Smtp:UserName"] = "app",
            ["Dashboard:Smtp:Timeout"] = "00:00:10",
        });

        var options = provider.GetRequiredService<IOptions<SmtpOptions>>().Value;

        Assert.Equal(("smtp.example.com", 587, SmtpSecurity.StartTls, "app"), (options.Host, options.Port, options.Security, options.UserName));
        Assert.Equal(TimeSpan.FromSeconds(10), options.Timeout);
    }

    [Fact]
    public void AddEmailJobs_MissingHost_FailsWithTheKey()
    {
        using var provider = Build(new() { ["Dashboard:Smtp:From"] = "app@example.com" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SmtpOptions>>().Value);

        Assert.Contains("Dashboard:Smtp:Host", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddEmailJobs_RootAppSettings_StartsWithoutFurtherSetup()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddJsonFile(RepositoryFiles.RootAppSettings(), optional: false);
        builder.AddEmailJobs();
        using var provider = builder.Services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<SmtpOptions>>().Value;

        Assert.Equal(("localhost", 25, SmtpSecurity.StartTlsWhenAvailable), (options.Host, options.Port, options.Security));
        Assert.Null(options.Password);
    }

    private static SmtpOptions Valid() => new() { Host = "smtp.example.com", From = "app@example.com" };

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddEmailJobs();
        return builder.Services.BuildServiceProvider();
    }
}
