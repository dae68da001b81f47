using Dashboard.Web.Operations;
using System.Security.Claims;
using Dashboard.Data;
using Dashboard.Data.Entities;
using Dashboard.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Web.Components.Pages.Users;

/// <summary>
/// Account commands behind the Users page, on Identity's <see cref="UserManager{TUser}"/>. A singleton that opens a
/// scope per call: the circuit lives for hours, a UserManager (and its DbContext) must not.
/// </summary>
internal sealed class UserAdministration(
    IServiceScopeFactory scopes,
    IAuthorizationService authorization,
    TimeProvider time) : IUserAdministration
{
    public async Task<IReadOnlyList<UserRow>> ListAsync(ClaimsPrincipal actor, CancellationToken cancellationToken = default)
    {
        if (!(await authorization.AuthorizeAsync(actor, Policies.Administer)).Succeeded)
        {
            throw new UnauthorizedAccessException("Only administrators can list users.");
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = Users(scope);
        var all = await users.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(cancellationToken);
        var rows = new List<UserRow>(all.Count);
        foreach (var user in all)
        {
            var roles = await users.GetRolesAsync(user);
            var lockedOut = user.LockoutEnd is { } end && end > time.GetUtcNow() ? end : (DateTimeOffset?)null;
            rows.Add(new UserRow(user.Id, user.Email ?? user.UserName ?? "", user.DisplayName, roles.FirstOrDefault(), user.IsDisabled, lockedOut, user.CreatedAt));
        }

        return rows;
    }

    public Task<UserCommandResult> CreateAsync(ClaimsPrincipal actor, NewUser user, CancellationToken cancellationToken = default) =>
        RunAsync(actor, AuditActions.UserCreate, user.Email, $"role {user.Role}", cancellationToken, async users =>
        {
            if (!UserRoles.All.Contains(user.Role))
            {
                return Failed($"Unknown role {user.Role}.");
            }

            var generated = string.IsNullOrEmpty(user.Password);
            var password = generated ? PasswordGenerator.Generate() : user.Password!;
            var account = new DashboardUser
            {
                UserName = user.Email.Trim(),
                Email = user.Email.Trim(),
                DisplayName = user.DisplayName.Trim(),
                EmailConfirmed = true,
                CreatedAt = time.GetUtcNow(),
            };
            var result = await users.CreateAsync(account, password);
            if (result.Succeeded)
            {
                result = await users.AddToRoleAsync(account, user.Role);
            }

            return !result.Succeeded
                ? Failed(Describe(result))
                : new UserCommandResult(UserCommandOutcome.Succeeded, $"Created {account.Email} as {user.Role}.", generated ? password : null);
        });

    public Task<UserCommandResult> ChangeRoleAsync(ClaimsPrincipal actor, string userId, string role, CancellationToken cancellationToken = default) =>
        RunOnUserAsync(actor, AuditActions.UserRoleChange, userId, $"to {role}", cancellationToken, async (users, user) =>
        {
            if (!UserRoles.All.Contains(role))
            {
                return Failed($"Unknown role {role}.");
            }

            var current = await users.GetRolesAsync(user);
            if (current.Contains(UserRoles.Admin) && role != UserRoles.Admin && await IsLastAdminAsync(users, user))
            {
                return Failed($"{user.Email} is the last enabled administrator; make someone else an administrator first.");
            }

            var result = await users.RemoveFromRolesAsync(user, current);
            if (result.Succeeded)
            {
                result = await users.AddToRoleAsync(user, role);
            }

            // A new stamp ends the user's sessions, so a demotion takes effect now, not when the cookie expires.
            if (result.Succeeded)
            {
                result = await users.UpdateSecurityStampAsync(user);
            }

            return result.Succeeded ? Succeeded($"{user.Email} is now {role}.") : Failed(Describe(result));
        });

    public Task<UserCommandResult> SetDisabledAsync(ClaimsPrincipal actor, string userId, bool disabled, CancellationToken cancellationToken = default) =>
        RunOnUserAsync(actor, disabled ? AuditActions.UserDisable : AuditActions.UserEnable, userId, null, cancellationToken, async (users, user) =>
        {
            if (disabled && await users.IsInRoleAsync(user, UserRoles.Admin) && await IsLastAdminAsync(users, user))
            {
                return Failed($"{user.Email} is the last enabled administrator and cannot be disabled.");
            }

            user.IsDisabled = disabled;
            var result = await users.UpdateAsync(user);
            if (result.Succeeded && disabled)
            {
                result = await users.UpdateSecurityStampAsync(user);
            }

            return result.Succeeded ? Succeeded($"{user.Email} is {(disabled ? "disabled" : "enabled")}.") : Failed(Describe(result));
        });

    public Task<UserCommandResult> ResetPasswordAsync(ClaimsPrincipal actor, string userId, CancellationToken cancellationToken = default) =>
        RunOnUserAsync(actor, AuditActions.UserPasswordReset, userId, null, cancellationToken, async (users, user) =>
        {
            var password = PasswordGenerator.Generate();
            var token = await users.GeneratePasswordResetTokenAsync(user);
            var result = await users.ResetPasswordAsync(user, token, password);
            if (result.Succeeded)
            {
                // A reset is also how an admin lets a locked-out user back in.
                await users.SetLockoutEndDateAsync(user, null);
                await users.ResetAccessFailedCountAsync(user);
            }

            return result.Succeeded
                ? new UserCommandResult(UserCommandOutcome.Succeeded, $"New password for {user.Email}.", password)
                : Failed(Describe(result));
        });

    private Task<UserCommandResult> RunOnUserAsync(
        ClaimsPrincipal actor, string action, string userId, string? details, CancellationToken cancellationToken,
        Func<UserManager<DashboardUser>, DashboardUser, Task<UserCommandResult>> command) =>
        RunAsync(actor, action, userId, details, cancellationToken, async users =>
            await users.FindByIdAsync(userId) is { } user ? await command(users, user) : Failed("No such user."),
            async users => (await users.FindByIdAsync(userId))?.Email ?? userId);

    private async Task<UserCommandResult> RunAsync(
        ClaimsPrincipal actor, string action, string target, string? details, CancellationToken cancellationToken,
        Func<UserManager<DashboardUser>, Task<UserCommandResult>> command,
        Func<UserManager<DashboardUser>, Task<string>>? describeTarget = null)
    {
        // The audit names a user by email, which is what people read; ids are only what the page sends. Read before
        // the policy check so that a Denied row names the user too; the rule checks below read again under the lock.
        var targetName = target;
        if (describeTarget is not null)
        {
            await using var lookup = scopes.CreateAsyncScope();
            targetName = await describeTarget(Users(lookup));
        }

        var operation = new OperatorAction(Policies.Administer, action, targetName, $"Changing user {targetName}", details);
        // This service is a singleton; the operations path is scoped like the policies it evaluates.
        await using var run = scopes.CreateAsyncScope();
        var actions = run.ServiceProvider.GetRequiredService<OperatorActions>();
        return await actions.RunAsync(actor, operation, async ct =>
        {
            await using var scope = scopes.CreateAsyncScope();
            var users = Users(scope);

            // Check and change in the action's one transaction, behind a lock that every replica's user commands
            // share: two administrators demoting or disabling each other at the same moment run one after the other,
            // so the second sees the first's change and the last-administrator rule holds. Identity's store writes
            // through this scoped context, whose connection joins the ambient transaction; the lock is held until that
            // transaction ends (after the audit row); nothing is read for the rules before the lock is held.
            var context = scope.ServiceProvider.GetRequiredService<DashboardDbContext>();
            await context.Database.ExecuteSqlRawAsync(AdministrationLock, ct);
            var result = await command(users);

            // A failed command may have done half its work (roles removed, new one refused): keep none of it.
            return result.Succeeded
                ? ActionOutcome<UserCommandResult>.Done(result, details)
                : ActionOutcome<UserCommandResult>.Undone(result, string.Join("; ", new[] { details, result.Message }.Where(d => d is not null)));
        },
        () => new UserCommandResult(UserCommandOutcome.Denied, "Only administrators can manage users."),
        message => new UserCommandResult(UserCommandOutcome.Failed, message),
        cancellationToken);
    }

    /// <summary>Held until the command's transaction ends; the key is a hash of a name no other lock uses.</summary>
    private const string AdministrationLock = "SELECT pg_advisory_xact_lock(hashtextextended('dashboard.user-administration', 0))";

    private static async Task<bool> IsLastAdminAsync(UserManager<DashboardUser> users, DashboardUser user)
    {
        var admins = await users.GetUsersInRoleAsync(UserRoles.Admin);
        return !admins.Any(a => a.Id != user.Id && !a.IsDisabled);
    }

    private static UserManager<DashboardUser> Users(AsyncServiceScope scope) =>
        scope.ServiceProvider.GetRequiredService<UserManager<DashboardUser>>();

    private static UserCommandResult Succeeded(string message) => new(UserCommandOutcome.Succeeded, message);

    private static UserCommandResult Failed(string message) => new(UserCommandOutcome.Failed, message);

    private static string Describe(IdentityResult result) => string.Join(" ", result.Errors.Select(e => e.Description));
}
