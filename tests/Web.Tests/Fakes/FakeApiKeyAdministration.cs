using System.Security.Claims;
using Dashboard.Web.Components.Pages.ApiKeys;

namespace Dashboard.Web.Tests.Fakes;

internal sealed class FakeApiKeyAdministration : IApiKeyAdministration
{
    public const string NewKey = "dsh_0123456789abcdefghijklmnopqrstuvwxyzABCDE";

    public List<ApiKeyView> Keys { get; } = [];

    public int ListCalls { get; private set; }

    public List<(string User, string Name)> Created { get; } = [];

    public List<(string User, long Id)> Revoked { get; } = [];

    public List<(string Name, ApiKeyScopeSettings Scope)> CreatedScopes { get; } = [];

    public List<(string User, long Id, ApiKeyScopeSettings Scope)> Updated { get; } = [];

    public ApiKeyScopeChoices Choices { get; set; } = new(["deliver-webhook", "diagnostics", "process-bounce", "send-email"], ["critical", "default", "low"]);

    public Task<IReadOnlyList<ApiKeyView>> ListAsync(CancellationToken cancellationToken = default)
    {
        ListCalls++;
        return Task.FromResult<IReadOnlyList<ApiKeyView>>([.. Keys]);
    }

    public Task<ApiKeyCommandResult> CreateAsync(ClaimsPrincipal user, string name, ApiKeyScopeSettings scope, CancellationToken cancellationToken = default)
    {
        Created.Add((user.Identity?.Name ?? "", name));
        CreatedScopes.Add((name, scope));
        Keys.Add(new ApiKeyView(Keys.Count + 1, name, NewKey[..12], Snapshots.Now, user.Identity?.Name ?? "", null, null, null, scope));
        return Task.FromResult(new ApiKeyCommandResult(ApiKeyCommandStatus.Succeeded, Key: NewKey));
    }

    public Task<ApiKeyCommandResult> UpdateScopeAsync(ClaimsPrincipal user, long id, ApiKeyScopeSettings scope, CancellationToken cancellationToken = default)
    {
        Updated.Add((user.Identity?.Name ?? "", id, scope));
        var index = Keys.FindIndex(k => k.Id == id);
        Keys[index] = Keys[index] with { Scope = scope };
        return Task.FromResult(new ApiKeyCommandResult(ApiKeyCommandStatus.Succeeded, $"'{Keys[index].Name}' now has a new scope."));
    }

    public Task<ApiKeyCommandResult> RevokeAsync(ClaimsPrincipal user, long id, CancellationToken cancellationToken = default)
    {
        Revoked.Add((user.Identity?.Name ?? "", id));
        var index = Keys.FindIndex(k => k.Id == id);
        Keys[index] = Keys[index] with { RevokedAt = Snapshots.Now, RevokedBy = user.Identity?.Name };
        return Task.FromResult(new ApiKeyCommandResult(ApiKeyCommandStatus.Succeeded, $"'{Keys[index].Name}' is revoked."));
    }
}
