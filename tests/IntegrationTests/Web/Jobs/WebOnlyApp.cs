using Dashboard.IntegrationTests.Infrastructure;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.IntegrationTests.Web.Jobs;

/// <summary>
/// The app with the web role only: no Hangfire server runs, so a job stays in exactly the state a test puts it in
/// (through Hangfire's client, with the app's filters) for as long as the test looks at it.
/// </summary>
public sealed class WebOnlyApp : IAsyncDisposable
{
    private readonly DashboardFactory _factory;
    private readonly IServiceScope _scope;

    public WebOnlyApp(PostgresServerFixture postgres)
    {
        ConnectionString = postgres.CreateDatabase();
        _factory = new DashboardFactory(ConnectionString, new Dictionary<string, string?> { ["Dashboard:Roles"] = "web" });
        _factory.CreateClient().Dispose();
        // Command services are per circuit in the app; one scope stands in for one user's circuit.
        _scope = _factory.Services.CreateScope();
    }

    public string ConnectionString { get; }

    public IServiceProvider Services => _factory.Services;

    public IServiceProvider Circuit => _scope.ServiceProvider;

    public JobStorage Storage => Services.GetRequiredService<JobStorage>();

    public IBackgroundJobClient Client => Services.GetRequiredService<IBackgroundJobClient>();

    public async ValueTask DisposeAsync()
    {
        _scope.Dispose();
        await _factory.DisposeAsync();
    }
}
