using Dashboard.Data.Database;
using Dashboard.Data.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dashboard.Web.Security;

/// <summary>
/// Seeds the roles and, while no user exists, the first administrator: from <c>Dashboard:Admin</c>, or in
/// Development on the private database with a generated password shown once. Production never gets a default
/// password: without the settings it only warns. Runs after the migrations (hosted services start in order) and
/// under an advisory lock, so replicas starting together create one administrator, not one each.
/// </summary>
internal sealed class AdminBootstrapper(
    IServiceScopeFactory scopes,
    PostgresEndpoint endpoint,
    IOptions<AdminOptions> admin,
    IHostEnvironment environment,
    TimeProvider time,
    ILogger<AdminBootstrapper> logger) : IHostedService
{
    /// <summary>Not the migrator's key: "dashadm" in ASCII.</summary>
    internal const long LockKey = 0x64617368616467;

    internal const string DevelopmentEmail = "admin@localhost";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(endpoint.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exclusive = await AdvisoryLock.AcquireAsync(connection, LockKey, cancellationToken);
        await using var scope = scopes.CreateAsyncScope();
        await SeedRolesAsync(scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>());
        var users = scope.ServiceProvider.GetRequiredService<UserManager<DashboardUser>>();
        if (users.Users.Any())
        {
            return;
        }

        await CreateFirstAdminAsync(users);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task SeedRolesAsync(RoleManager<IdentityRole> roles)
    {
        foreach (var role in UserRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }
    }

    private async Task CreateFirstAdminAsync(UserManager<DashboardUser> users)
    {
        var settings = admin.Value;
        if (!string.IsNullOrWhiteSpace(settings.Email) && !string.IsNullOrEmpty(settings.Password))
        {
            if (await CreateAsync(users, settings.Email.Trim(), settings.Password))
            {
                SecurityLog.AdminCreatedFromSettings(logger, settings.Email.Trim());
            }

            return;
        }

        // The generated password is only for a developer's own machine: a private database nobody else reaches.
        if (environment.IsDevelopment() && endpoint.Embedded is { } embedded)
        {
            var password = PasswordGenerator.Generate();
            if (!await CreateAsync(users, DevelopmentEmail, password))
            {
                return;
            }

            // Beside the cluster that holds the account (git-ignored): deleting the folder removes both together.
            var file = Path.Combine(embedded.RootDirectory, "admin-password.txt");
            await File.WriteAllTextAsync(file, $"{DevelopmentEmail}\n{password}\n");
            TryRestrictToOwner(file);
            PrintOnce(password, file);
            SecurityLog.AdminGenerated(logger, DevelopmentEmail, file);
            return;
        }

        SecurityLog.NoAdmin(logger);
    }

    private async Task<bool> CreateAsync(UserManager<DashboardUser> users, string email, string password)
    {
        var user = new DashboardUser
        {
            UserName = email,
            Email = email,
            DisplayName = "Administrator",
            CreatedAt = time.GetUtcNow(),
            EmailConfirmed = true,
        };
        var created = await users.CreateAsync(user, password);
        if (created.Succeeded)
        {
            created = await users.AddToRoleAsync(user, UserRoles.Admin);
        }

        if (!created.Succeeded)
        {
            SecurityLog.AdminFailed(logger, email, string.Join(" ", created.Errors.Select(e => e.Description)));
        }

        return created.Succeeded;
    }

    private static void TryRestrictToOwner(string file)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static void PrintOnce(string password, string file)
    {
        // Straight to the console, not the log: the password must not end up in a log collector.
        string[] lines =
        [
            "First administrator created (Development, private database)",
            $"  email:    {DevelopmentEmail}",
            $"  password: {password}",
            "Shown once; also saved to",
            $"  {file}",
            "Reset it on the Users page whenever you like.",
        ];
        var width = lines.Max(l => l.Length) + 2;
        Console.WriteLine("+" + new string('-', width) + "+");
        foreach (var line in lines)
        {
            Console.WriteLine("| " + line.PadRight(width - 1) + "|");
        }

        Console.WriteLine("+" + new string('-', width) + "+");
    }
}
