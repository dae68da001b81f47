using System.Security.Claims;
using Dashboard.Web.Components.Pages.Users;

namespace Dashboard.Web.Tests.Fakes;

/// <summary>Answers the Users page from a list in memory and records what it was asked to do.</summary>
public sealed class FakeUserAdministration : IUserAdministration
{
    public List<UserRow> Users { get; } = [];

    public Exception? ListError { get; set; }

    public UserCommandResult NextResult { get; set; } = new(UserCommandOutcome.Succeeded, "Done.");

    public List<string> Calls { get; } = [];

    public TaskCompletionSource? ListGate { get; set; }

    public async Task<IReadOnlyList<UserRow>> ListAsync(ClaimsPrincipal actor, CancellationToken cancellationToken = default)
    {
        if (ListGate is { } gate)
        {
            await gate.Task;
        }

        return ListError is { } error ? throw error : Users.ToList();
    }

    public Task<UserCommandResult> CreateAsync(ClaimsPrincipal actor, NewUser user, CancellationToken cancellationToken = default) =>
        Record($"create {user.Email} {user.DisplayName} {user.Role} {user.Password ?? "(generate)"} by {actor.Identity?.Name}");

    public Task<UserCommandResult> ChangeRoleAsync(ClaimsPrincipal actor, string userId, string role, CancellationToken cancellationToken = default) =>
        Record($"role {userId} {role} by {actor.Identity?.Name}");

    public Task<UserCommandResult> SetDisabledAsync(ClaimsPrincipal actor, string userId, bool disabled, CancellationToken cancellationToken = default) =>
        Record($"{(disabled ? "disable" : "enable")} {userId} by {actor.Identity?.Name}");

    public Task<UserCommandResult> ResetPasswordAsync(ClaimsPrincipal actor, string userId, CancellationToken cancellationToken = default) =>
        Record($"reset {userId} by {actor.Identity?.Name}");

    private Task<UserCommandResult> Record(string call)
    {
        Calls.Add(call);
        return Task.FromResult(NextResult);
    }
}
