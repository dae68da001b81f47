using Dashboard.Web.Operations;
using System.Security.Claims;
using Dashboard.Data;
using Dashboard.Data.Entities;
using Dashboard.Jobs.Hosting;
using Dashboard.Jobs.Model;
using Dashboard.Web.Api;
using Dashboard.Web.Components.Pages.Audit;
using Dashboard.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dashboard.Web.Components.Pages.ApiKeys;

public sealed record ApiKeyView(
    long Id,
    string Name,
    string Prefix,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt,
    string? RevokedBy,
    ApiKeyScopeSettings? Scope = null);

/// <summary>
/// A key's scope as an administrator sets it: null or empty lists mean every job / every queue, a null rate means
/// <see cref="ApiKeyScope.DefaultRequestsPerMinute"/>. Stored as given, so "default" stays default if the default moves.
/// </summary>
public sealed record ApiKeyScopeSettings(IReadOnlyList<string>? Jobs, IReadOnlyList<string>? Queues, int? RequestsPerMinute)
{
    public static readonly ApiKeyScopeSettings Unrestricted = new(null, null, null);
}

/// <summary>What a scope can name: the jobs of the catalog and the configured queues.</summary>
public sealed record ApiKeyScopeChoices(IReadOnlyList<string> Jobs, IReadOnlyList<string> Queues);

public enum ApiKeyCommandStatus
{
    Succeeded,
    Denied,
    Invalid,
    NotFound,
    /// <summary>The database or a bug stopped it; nothing was changed and the message carries a logged reference.</summary>
    Failed,
}

/// <summary>How a create or revoke ended. <see cref="Key"/> is the new secret, present only right after a create.</summary>
public sealed record ApiKeyCommandResult(ApiKeyCommandStatus Status, string? Message = null, string? Key = null);

public interface IApiKeyAdministration
{
    Task<IReadOnlyList<ApiKeyView>> ListAsync(CancellationToken cancellationToken = default);

    ApiKeyScopeChoices Choices { get; }

    /// <summary>A key that may enqueue every job at the default rate, as keys were before scopes.</summary>
    Task<ApiKeyCommandResult> CreateAsync(ClaimsPrincipal user, string name, CancellationToken cancellationToken = default) =>
        CreateAsync(user, name, ApiKeyScopeSettings.Unrestricted, cancellationToken);

    Task<ApiKeyCommandResult> CreateAsync(ClaimsPrincipal user, string name, ApiKeyScopeSettings scope, CancellationToken cancellationToken = default);

    Task<ApiKeyCommandResult> UpdateScopeAsync(ClaimsPrincipal user, long id, ApiKeyScopeSettings scope, CancellationToken cancellationToken = default);

    Task<ApiKeyCommandResult> RevokeAsync(ClaimsPrincipal user, long id, CancellationToken cancellationToken = default);
}

/// <summary>
/// Creates, scopes and revokes the API keys of <c>POST /api/jobs/{name}</c>. Each command checks the Administer policy
/// itself, whatever the page showed, and every attempt lands in the audit trail with the actor's name and the key's name.
/// </summary>
internal sealed class ApiKeyAdministration(
    IDbContextFactory<DashboardDbContext> contexts,
    OperatorActions actions,
    ApiKeyStore configuredKeys,
    DatabaseApiKeys databaseKeys,
    JobCatalog catalog,
    IOptions<HangfireOptions> hangfire,
    TimeProvider time) : IApiKeyAdministration
{
    public const int MaxNameLength = 100;

    public ApiKeyScopeChoices Choices => new([.. catalog.Jobs.Select(j => j.Name)], hangfire.Value.EffectiveQueues);

    public async Task<IReadOnlyList<ApiKeyView>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        return await context.ApiKeys.AsNoTracking()
            .OrderBy(k => k.RevokedAt != null).ThenBy(k => k.Name)
            .Select(k => new ApiKeyView(
                k.Id, k.Name, k.Prefix, k.CreatedAt, k.CreatedBy, k.LastUsedAt, k.RevokedAt, k.RevokedBy, new ApiKeyScopeSettings(k.Jobs, k.Queues, k.RequestsPerMinute)))
            .ToListAsync(cancellationToken);
    }

    public Task<ApiKeyCommandResult> CreateAsync(ClaimsPrincipal user, string name, ApiKeyScopeSettings scope, CancellationToken cancellationToken = default)
    {
        name = name?.Trim() ?? "";
        var action = new OperatorAction(Policies.Administer, AuditActions.ApiKeyCreate, name, $"Creating API key '{name}'");
        return RunAsync(user, action, async ct =>
        {
            var invalid = name.Length == 0 ? "Give the key a name."
                : name.Length > MaxNameLength ? $"A key name has at most {MaxNameLength} characters."
                : configuredKeys.Names.Contains(name, StringComparer.OrdinalIgnoreCase) ? $"A key named '{name}' is already configured (Dashboard:ApiKeys:{name})."
                : InvalidScope(scope);
            if (invalid is not null)
            {
                return Refused(ApiKeyCommandStatus.Invalid, invalid);
            }

            var key = ApiKeySecrets.NewKey();
            await using var context = await contexts.CreateDbContextAsync(ct);
            // Asked first: a unique violation would abort the transaction the audit row is written in. Two admins
            // racing for one name still meet the unique index, and the loser gets a failure with a reference.
            if (await context.ApiKeys.AnyAsync(k => k.Name == name, ct))
            {
                // Names stay unique even after revocation, so the audit trail's key names always mean one key.
                return Refused(ApiKeyCommandStatus.Invalid, $"A key named '{name}' already exists (revoked keys keep their names).");
            }

            context.ApiKeys.Add(new ApiKey
            {
                Name = name,
                Hash = ApiKeySecrets.HashOf(key),
                Prefix = key[..ApiKeySecrets.ShownPrefixLength],
                CreatedAt = time.GetUtcNow(),
                CreatedBy = Actor.NameOf(user),
                Jobs = Stored(scope.Jobs),
                Queues = Stored(scope.Queues),
                RequestsPerMinute = scope.RequestsPerMinute,
            });
            await context.SaveChangesAsync(ct);
            return ActionOutcome<ApiKeyCommandResult>.Done(
                new(ApiKeyCommandStatus.Succeeded, Key: key), $"prefix {key[..ApiKeySecrets.ShownPrefixLength]}; {Describe(scope)}");
        }, cancellationToken);
    }

    public async Task<ApiKeyCommandResult> UpdateScopeAsync(ClaimsPrincipal user, long id, ApiKeyScopeSettings scope, CancellationToken cancellationToken = default)
    {
        var target = await NameOfAsync(id, cancellationToken);
        var action = new OperatorAction(Policies.Administer, AuditActions.ApiKeyUpdate, target, $"Changing API key '{target}'");
        return await RunAsync(user, action, async ct =>
        {
            await using var context = await contexts.CreateDbContextAsync(ct);
            var key = await context.ApiKeys.SingleOrDefaultAsync(k => k.Id == id, ct);
            var invalid = key is null ? "That key does not exist."
                : key.RevokedAt is not null ? $"'{key.Name}' is revoked; a revoked key cannot be changed."
                : InvalidScope(scope);
            if (key is null || invalid is not null)
            {
                return Refused(key is null ? ApiKeyCommandStatus.NotFound : ApiKeyCommandStatus.Invalid, invalid!);
            }

            var before = Describe(new ApiKeyScopeSettings(key.Jobs, key.Queues, key.RequestsPerMinute));
            key.Jobs = Stored(scope.Jobs);
            key.Queues = Stored(scope.Queues);
            key.RequestsPerMinute = scope.RequestsPerMinute;
            await context.SaveChangesAsync(ct);
            return ActionOutcome<ApiKeyCommandResult>.Done(
                new(ApiKeyCommandStatus.Succeeded, $"'{key.Name}' now has {Describe(scope)}. Other servers apply it within 30 seconds."),
                $"{before} -> {Describe(scope)}");
        }, cancellationToken);
    }

    /// <summary>The scope in a line, for the audit trail and the page's messages.</summary>
    public static string Describe(ApiKeyScopeSettings scope) =>
        $"jobs: {(scope.Jobs is { Count: > 0 } jobs ? string.Join(", ", jobs) : "all")}; "
        + $"queues: {(scope.Queues is { Count: > 0 } queues ? string.Join(", ", queues) : "all")}; "
        + $"{scope.RequestsPerMinute ?? ApiKeyScope.DefaultRequestsPerMinute} requests per minute{(scope.RequestsPerMinute is null ? " (default)" : "")}";

    private string? InvalidScope(ApiKeyScopeSettings scope)
    {
        var choices = Choices;
        var unknownJobs = (scope.Jobs ?? []).Where(j => !choices.Jobs.Contains(j, StringComparer.Ordinal)).ToList();
        var unknownQueues = (scope.Queues ?? []).Where(q => !choices.Queues.Contains(q, StringComparer.Ordinal)).ToList();
        return unknownJobs.Count > 0 ? $"Unknown job(s): {string.Join(", ", unknownJobs)}. The jobs are: {string.Join(", ", choices.Jobs)}."
            : unknownQueues.Count > 0 ? $"Unknown queue(s): {string.Join(", ", unknownQueues)}. The queues are: {string.Join(", ", choices.Queues)}."
            : scope.RequestsPerMinute is < 1 or > ApiKeyScope.MaxRequestsPerMinute
                ? $"Requests per minute must be from 1 to {ApiKeyScope.MaxRequestsPerMinute}, or empty for the default ({ApiKeyScope.DefaultRequestsPerMinute})."
            : null;
    }

    /// <summary>An empty list is stored as null: "every job", the same thing the API reads from it.</summary>
    private static string[]? Stored(IReadOnlyList<string>? names) =>
        names is { Count: > 0 } ? [.. names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)] : null;

    public async Task<ApiKeyCommandResult> RevokeAsync(ClaimsPrincipal user, long id, CancellationToken cancellationToken = default)
    {
        var target = await NameOfAsync(id, cancellationToken);
        var action = new OperatorAction(Policies.Administer, AuditActions.ApiKeyRevoke, target, $"Revoking API key '{target}'");
        return await RunAsync(user, action, async ct =>
        {
            await using var context = await contexts.CreateDbContextAsync(ct);
            var key = await context.ApiKeys.SingleOrDefaultAsync(k => k.Id == id, ct);
            if (key is null)
            {
                return new(new(ApiKeyCommandStatus.NotFound, "That key does not exist."), AuditOutcome.Failed, "no such key");
            }

            if (key.RevokedAt is not null)
            {
                // Idempotent: a second click or a second admin does not move the revocation time.
                return ActionOutcome<ApiKeyCommandResult>.Done(new(ApiKeyCommandStatus.Succeeded, $"'{key.Name}' was already revoked."), "already revoked");
            }

            key.RevokedAt = time.GetUtcNow();
            key.RevokedBy = Actor.NameOf(user);
            await context.SaveChangesAsync(ct);
            return ActionOutcome<ApiKeyCommandResult>.Done(new(ApiKeyCommandStatus.Succeeded, $"'{key.Name}' is revoked."));
        }, cancellationToken);
    }

    /// <summary>The key's name as the audit trail records it, read before the policy check so a Denied row names it too.</summary>
    private async Task<string> NameOfAsync(long id, CancellationToken cancellationToken)
    {
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        return await context.ApiKeys.Where(k => k.Id == id).Select(k => k.Name).SingleOrDefaultAsync(cancellationToken) ?? $"#{id}";
    }

    private async Task<ApiKeyCommandResult> RunAsync(
        ClaimsPrincipal user, OperatorAction action, Func<CancellationToken, Task<ActionOutcome<ApiKeyCommandResult>>> perform, CancellationToken cancellationToken)
    {
        var result = await actions.RunAsync(
            user,
            action,
            perform,
            () => new ApiKeyCommandResult(ApiKeyCommandStatus.Denied, "Only administrators can manage API keys."),
            message => new ApiKeyCommandResult(ApiKeyCommandStatus.Failed, message),
            cancellationToken);
        if (result.Status == ApiKeyCommandStatus.Succeeded)
        {
            // After the commit: another reader must not cache the old keys again from a transaction not yet visible.
            databaseKeys.Invalidate();
        }

        return result;
    }

    private static ActionOutcome<ApiKeyCommandResult> Refused(ApiKeyCommandStatus status, string reason) =>
        ActionOutcome<ApiKeyCommandResult>.Refused(new(status, reason), reason);
}
