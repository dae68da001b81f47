using Microsoft.Extensions.Configuration;

namespace Dashboard.Jobs.Hosting;

/// <summary>
/// What this process does (<c>Dashboard:Roles</c>, DESIGN.md §2): serve the UI, run a Hangfire server, or both.
/// Every role serves the health and metrics endpoints.
/// </summary>
public sealed record DashboardRoles(bool Web, bool Worker)
{
    public const string Key = "Dashboard:Roles";

    public static DashboardRoles Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return new DashboardRoles(true, true);
        }

        bool web = false, worker = false;
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            switch (part.ToLowerInvariant())
            {
                case "web":
                    web = true;
                    break;
                case "worker":
                    worker = true;
                    break;
                default:
                    throw new InvalidOperationException(
                        $"{Key} (environment variable Dashboard__Roles) has an unknown role '{part}'. Use 'web,worker', 'web' or 'worker'.");
            }
        }

        return new DashboardRoles(web, worker);
    }

    public static DashboardRoles From(IConfiguration configuration) => Parse(configuration[Key]);

    public override string ToString() => (Web, Worker) switch
    {
        (true, true) => "web,worker",
        (true, false) => "web",
        (false, true) => "worker",
        _ => "none",
    };
}
