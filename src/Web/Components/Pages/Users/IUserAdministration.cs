using System.Security.Claims;

namespace Dashboard.Web.Components.Pages.Users;

/// <summary>One account as the Users page lists it.</summary>
public sealed record UserRow(
    string Id,
    string Email,
    string DisplayName,
    string? Role,
    bool IsDisabled,
    DateTimeOffset? LockedOutUntil,
    DateTimeOffset CreatedAt);

public sealed record NewUser(string Email, string DisplayName, string Role, string? Password);

public enum UserCommandOutcome
{
    Succeeded,
    Failed,
    Denied,
}

/// <summary>How an action ended; <see cref="Password"/> is a generated password to show once.</summary>
public sealed record UserCommandResult(UserCommandOutcome Outcome, string Message, string? Password = null)
{
    public bool Succeeded => Outcome == UserCommandOutcome.Succeeded;
}

/// <summary>
/// Everything the Users page does to accounts. Each call checks the Administer policy for <c>actor</c> on the
/// server and records the attempt in the audit trail, whatever the page showed.
/// </summary>
public interface IUserAdministration
{
    Task<IReadOnlyList<UserRow>> ListAsync(ClaimsPrincipal actor, CancellationToken cancellationToken = default);

    Task<UserCommandResult> CreateAsync(ClaimsPrincipal actor, NewUser user, CancellationToken cancellationToken = default);

    Task<UserCommandResult> ChangeRoleAsync(ClaimsPrincipal actor, string userId, string role, CancellationToken cancellationToken = default);

    Task<UserCommandResult> SetDisabledAsync(ClaimsPrincipal actor, string userId, bool disabled, CancellationToken cancellationToken = default);

    Task<UserCommandResult> ResetPasswordAsync(ClaimsPrincipal actor, string userId, CancellationToken cancellationToken = default);
}

public static class UserAdministrationServiceCollectionExtensions
{
    public static IServiceCollection AddUserAdministration(this IServiceCollection services) =>
        services.AddSingleton<IUserAdministration, UserAdministration>();
}
