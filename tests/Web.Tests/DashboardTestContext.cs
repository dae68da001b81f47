using Dashboard.Web.Components.Shared;
using Bunit;
using Bunit.TestDoubles;
using Dashboard.Data.Database;
using Dashboard.Web.Hosting;
using Dashboard.Web.Security;
using Dashboard.Web.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace Dashboard.Web.Tests;

/// <summary>
/// bUnit context with MudBlazor, loose JS interop, the settings every page reads, and a signed-in
/// <see cref="UserRoles.Admin"/> (<see cref="Auth"/> changes who is signed in).
/// </summary>
public abstract class DashboardTestContext : BunitContext
{
    protected DashboardTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton<TimeProvider>(new FixedTimeProvider(Snapshots.Now));
        Services.AddSingleton(Options.Create(new UiOptions { Title = "Test Dashboard" }));
        Services.AddSingleton(Options.Create(new DatabaseOptions()));
        Services.AddSingleton<ReadFailures>();
        Auth = AddAuthorization();
        Auth.SetAuthorized("admin@example.com").SetRoles(UserRoles.Admin);
        Auth.SetPolicies(Policies.View, Policies.Operate, Policies.Administer);
    }

    protected BunitAuthorizationContext Auth { get; }
}
