using Dashboard.Data.Entities;
using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.Web.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Dashboard.IntegrationTests.Web.Security;

public sealed class AdminBootstrapTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task Start_TwoHostsWithAdminSettingsAtOnce_CreateExactlyOneAdmin()
    {
        var database = postgres.CreateDatabase();
        var settings = new Dictionary<string, string?>
        {
            ["Dashboard:Roles"] = "web",
            ["Dashboard:Admin:Email"] = "boot@example.com",
            ["Dashboard:Admin:Password"] = SecurityApp.AdminPassword,
        };
        await using var first = new DashboardFactory(database, settings);
        await using var second = new DashboardFactory(database, settings);

        // Touching Server builds and starts each host; both run the bootstrapper against the empty database.
        await Task.WhenAll(Task.Run(() => first.Server), Task.Run(() => second.Server));

        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var count = new NpgsqlCommand(
            "SELECT count(*) FROM dashboard.users u JOIN dashboard.user_roles ur ON ur.user_id = u.id JOIN dashboard.roles r ON r.id = ur.role_id WHERE r.name = 'Admin'",
            connection);
        Assert.Equal(1L, await count.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        await using var users = new NpgsqlCommand("SELECT count(*) FROM dashboard.users", connection);
        Assert.Equal(1L, await users.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Start_UsersExist_SettingsDoNotAddAnotherAdmin()
    {
        var database = postgres.CreateDatabase();
        await using (var firstRun = new DashboardFactory(database, new Dictionary<string, string?>
        {
            ["Dashboard:Roles"] = "web",
            ["Dashboard:Admin:Email"] = "boot@example.com",
            ["Dashboard:Admin:Password"] = SecurityApp.AdminPassword,
        }))
        {
            _ = firstRun.Server;
        }

        await using var secondRun = new DashboardFactory(database, new Dictionary<string, string?>
        {
            ["Dashboard:Roles"] = "web",
            ["Dashboard:Admin:Email"] = "other@example.com",
            ["Dashboard:Admin:Password"] = SecurityApp.AdminPassword,
        });
        await using var scope = secondRun.Services.CreateAsyncScope();
        var userManager = scope.ServiceProvider.GetRequiredService<UserManager<DashboardUser>>();

        Assert.Null(await userManager.FindByNameAsync("other@example.com"));
        Assert.NotNull(await userManager.FindByNameAsync("boot@example.com"));
    }

    [Fact]
    public async Task Start_NoUsersNoSettingsConfiguredDatabase_CreatesNobody()
    {
        var database = postgres.CreateDatabase();
        await using var app = new DashboardFactory(database, new Dictionary<string, string?> { ["Dashboard:Roles"] = "web" });
        await using var scope = app.Services.CreateAsyncScope();

        var userManager = scope.ServiceProvider.GetRequiredService<UserManager<DashboardUser>>();

        // A configured database (no private server) never gets a generated password, not even in Development.
        Assert.Empty(userManager.Users);
        Assert.Equal(UserRoles.All.Order(), scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>().Roles.Select(r => r.Name!).ToList().Order());
    }
}
