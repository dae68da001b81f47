using Dashboard.IntegrationTests.Infrastructure;
using Dashboard.Web.Components.Pages.Users;
using Dashboard.Web.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.IntegrationTests.Web.Security;

/// <summary>
/// Two administrators, the only two, each removing the other at the same moment: one of them must win and the other
/// be refused, never both succeed and leave no administrator.
/// </summary>
public sealed class LastAdministratorRaceTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task TwoAdminsRemoveEachOtherAtOnce_OneAdministratorAlwaysRemains()
    {
        await using var app = new SecurityApp(postgres);
        var administration = app.Services.GetRequiredService<IUserAdministration>();
        var ct = TestContext.Current.CancellationToken;
        var first = await app.PrincipalAsync(SecurityApp.AdminEmail);
        var a = await app.CreateUserAsync(UserRoles.Admin);
        var b = await app.CreateUserAsync(UserRoles.Admin);
        var actorA = await app.PrincipalAsync(a.Email!);
        var actorB = await app.PrincipalAsync(b.Email!);
        var firstId = (await administration.ListAsync(first, ct)).Single(u => u.Email == SecurityApp.AdminEmail).Id;
        Assert.True((await administration.SetDisabledAsync(actorA, firstId, disabled: true, ct)).Succeeded);

        // Bounded: 15 rounds, alternating disable/disable and demote/disable. Before the fix both won in most rounds.
        for (var round = 0; round < 15; round++)
        {
            using var start = new ManualResetEventSlim();
            var aRemovesB = Task.Run(async () =>
            {
                start.Wait(ct);
                return round % 2 == 0
                    ? await administration.SetDisabledAsync(actorA, b.Id, disabled: true, ct)
                    : await administration.ChangeRoleAsync(actorA, b.Id, UserRoles.Viewer, ct);
            }, ct);
            var bRemovesA = Task.Run(async () =>
            {
                start.Wait(ct);
                return await administration.SetDisabledAsync(actorB, a.Id, disabled: true, ct);
            }, ct);
            start.Set();
            var results = await Task.WhenAll(aRemovesB, bRemovesA);

            var admins = (await administration.ListAsync(first, ct)).Where(u => u.Role == UserRoles.Admin && !u.IsDisabled).ToList();
            Assert.True(admins.Count == 1, $"round {round}: {admins.Count} enabled administrators; results: {string.Join(" / ", results.Select(r => r.Message))}");
            Assert.Single(results, r => r.Succeeded);
            Assert.Contains(results, r => r.Message.Contains("last enabled administrator", StringComparison.Ordinal));

            // The survivor puts the other back for the next round.
            var survivor = admins[0].Id == a.Id ? actorA : actorB;
            var other = admins[0].Id == a.Id ? b : a;
            Assert.True((await administration.ChangeRoleAsync(survivor, other.Id, UserRoles.Admin, ct)).Succeeded);
            Assert.True((await administration.SetDisabledAsync(survivor, other.Id, disabled: false, ct)).Succeeded);
        }
    }
}
