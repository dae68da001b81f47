using Dashboard.Data;
using Dashboard.Jobs;
using Dashboard.Web.Hosting;

// The root appsettings.json and wwwroot/ are copied next to the binaries (DESIGN.md §3), so that is the content root.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

builder.AddDashboardData();
builder.AddDashboardJobs();
builder.AddDashboardWeb();

await using var app = builder.Build();
app.MapDashboardWeb();

// Serves until Ctrl+C/SIGTERM, or with --migrate brings the schema up to date and exits.
return await DashboardCommands.RunAsync(app, args);

/// <summary>Entry point; public so that test hosts can start the real application.</summary>
public partial class Program;
