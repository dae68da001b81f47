using Dashboard.Data.Database;
using Dashboard.Jobs.Hosting;
using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Dashboard.Jobs.Tests.Hosting;

public sealed class HangfireWiringTests
{
    [Fact]
    public void StorageOptions_Defaults_AreTheTunedValues()
    {
        var storage = JobsHostingExtensions.StorageOptions(new HangfireOptions());

        Assert.True(storage.UseSlidingInvisibilityTimeout);
        Assert.True(storage.EnableLongPolling);
        Assert.Equal(TimeSpan.FromMinutes(1), storage.InvisibilityTimeout);
        Assert.Equal("hangfire", storage.SchemaName);
        // Our locked migration step installs the schema, not each replica on its own.
        Assert.False(storage.PrepareSchemaIfNecessary);
    }

    [Fact]
    public void ConfigureServer_Options_CarryQueuesInOrderAndShutdownWindow()
    {
        var server = new BackgroundJobServerOptions();

        JobsHostingExtensions.ConfigureServer(server, new HangfireOptions
        {
            WorkerCount = 7,
            Queues = ["critical", "default"],
            ShutdownTimeout = TimeSpan.FromSeconds(12),
        });

        Assert.Equal(7, server.WorkerCount);
        Assert.Equal(["critical", "default"], server.Queues);
        Assert.Equal(TimeSpan.FromSeconds(12), server.StopTimeout);
        Assert.True(server.ShutdownTimeout > server.StopTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), server.SchedulePollingInterval);
    }

    [Fact]
    public void AddDashboardJobs_RootAppSettings_BindsAndValidates()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddJsonFile(RepositoryFiles.RootAppSettings(), optional: false);

        builder.AddDashboardJobs();
        using var provider = builder.Services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<HangfireOptions>>().Value;

        Assert.Equal(["critical", "default", "low"], options.EffectiveQueues);
        Assert.True(options.UseSlidingInvisibilityTimeout);
        Assert.True(options.EnableLongPolling);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ShutdownTimeout);
        Assert.Contains(provider.GetServices<ISchemaInstaller>(), i => i.Name == "hangfire");
    }

    [Theory]
    [InlineData("web", false)]
    [InlineData("worker", true)]
    [InlineData("web,worker", true)]
    public void AddDashboardJobs_Role_HostsAHangfireServerOnlyForWorkers(string roles, bool expectServer)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Dashboard:Roles"] = roles });

        builder.AddDashboardJobs();

        var hosted = builder.Services.Where(d => d.ServiceType == typeof(IHostedService)).ToList();
        Assert.Equal(expectServer, hosted.Count > 0);
    }
}
