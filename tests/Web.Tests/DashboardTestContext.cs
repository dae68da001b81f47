using Bunit;
using Dashboard.Web.Hosting;
using Dashboard.Web.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace Dashboard.Web.Tests;

/// <summary>bUnit context with MudBlazor, loose JS interop and the settings every page reads.</summary>
public abstract class DashboardTestContext : BunitContext
{
    protected DashboardTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton<TimeProvider>(new FixedTimeProvider(Snapshots.Now));
        Services.AddSingleton(Options.Create(new UiOptions { Title = "Test Dashboard" }));
    }
}
