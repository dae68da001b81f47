using System.Security.Claims;
using Dashboard.Data;
using Dashboard.Data.Audit;
using Dashboard.Data.Entities;
using Dashboard.Web.Api;
using Dashboard.Web.Components.Pages.Audit;
using Dashboard.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Dashboard.Web.Components.Pages.ApiKeys;

public sealed record ApiKeyView(
    long Id, string Name, string Prefix, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt, string? RevokedBy);

public enum ApiKeyCommandStatus
{
    Succeeded,
    Denied,
    Invalid,
    NotFound,
}

/// <summary>How a create or revoke ended. <see cref="Key"/> is the new secret, present only right after a create.</summary>
public sealed record ApiKeyCommandResult(ApiKeyCommandStatus Status, string? Message = null, string? Key = null);

public interface IApiKeyAdministration
{
    Task<IReadOnlyList<ApiKeyView>> ListAsync(CancellationToken cancellationToken = default);

    Task<ApiKeyCommandResult> CreateAsync(ClaimsPrincipal user, string name, CancellationToken cancellationToken = default);

    Task<ApiKeyCommandResult> RevokeAsync(ClaimsPrincipal user, long id, CancellationToken cancellationToken = default);
}

/// <summary>
/// Creates and revokes the API keys of <c>POST /api/jobs/{name}</c>. Each command checks the Administer policy itself,
/// whatever the page showed, and every attempt lands in the audit trail with the actor's name and the key's name.
/// </summary>
internal sealed class ApiKeyAdministration(
    IDbContextFactory<DashboardDbContext> contexts,
    IAuthorizationService authorization,
    IAuditLog audit,
    ApiKeyStore configuredKeys,
    DatabaseApiKeys databaseKeys,
    TimeProvider time) : IApiKeyAdministration
{
    public const int MaxNameLength = 100;

    public async Task<IReadOnlyList<ApiKeyView>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        return await context.ApiKeys.AsNoTracking()
            .OrderBy(k => k.RevokedAt != null).ThenBy(k => k.Name)
            .Select(k => new ApiKeyView(k.Id, k.Name, k.Prefix, k.CreatedAt, k.CreatedBy, k.LastUsedAt, k.RevokedAt, k.RevokedBy))
            .ToListAsync(cancellationToken);
    }

    public async Task<ApiKeyCommandResult> CreateAsync(ClaimsPrincipal user, string name, CancellationToken cancellationToken = default)
    {
        const string Action = "apikey.create";
        name = name?.Trim() ?? "";
        if (!await AllowedAsync(user))
        {
            return await DeniedAsync(user, Action, name, cancellationToken);
        }

        var invalid = name.Length == 0 ? "Give the key a name."
            : name.Length > MaxNameLength ? $"A key name has at most {MaxNameLength} characters."
            : configuredKeys.Names.Contains(name, StringComparer.OrdinalIgnoreCase) ? $"A key named '{name}' is already configured (Dashboard:ApiKeys:{name})."
            : null;
        if (invalid is not null)
        {
            await RecordAsync(user, Action, name, AuditOutcome.Failed, invalid, cancellationToken);
            return new ApiKeyCommandResult(ApiKeyCommandStatus.Invalid, invalid);
        }

        var key = ApiKeySecrets.NewKey();
        await using (var context = await contexts.CreateDbContextAsync(cancellationToken))
        {
            context.ApiKeys.Add(new ApiKey
            {
                Name = name,
                Hash = ApiKeySecrets.HashOf(key),
                Prefix = key[..ApiKeySecrets.ShownPrefixLength],
                CreatedAt = time.GetUtcNow(),
                CreatedBy = Actor.NameOf(user),
            });
            try
            {
                await context.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                // Names stay unique even after revocation, so the audit trail's key names always mean one key.
                var taken = $"A key named '{name}' already exists (revoked keys keep their names).";
                await RecordAsync(user, Action, name, AuditOutcome.Failed, taken, cancellationToken);
                return new ApiKeyCommandResult(ApiKeyCommandStatus.Invalid, taken);
            }
        }

        databaseKeys.Invalidate();
        await RecordAsync(user, Action, name, AuditOutcome.Succeeded, $"prefix {key[..ApiKeySecrets.ShownPrefixLength]}", cancellationToken);
        return new ApiKeyCommandResult(ApiKeyCommandStatus.Succeeded, Key: key);
    }

    public async Task<ApiKeyCommandResult> RevokeAsync(ClaimsPrincipal user, long id, CancellationToken cancellationToken = default)
    {
        const string Action = "apikey.revoke";
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        var key = await context.ApiKeys.SingleOrDefaultAsync(k => k.Id == id, cancellationToken);
        var target = key?.Name ?? $"#{id}";
        if (!await AllowedAsync(user))
        {
            return await DeniedAsync(user, Action, target, cancellationToken);
        }

        if (key is null)
        {
            await RecordAsync(user, Action, target, AuditOutcome.Failed, "no such key", cancellationToken);
            return new ApiKeyCommandResult(ApiKeyCommandStatus.NotFound, "That key does not exist.");
        }

        if (key.RevokedAt is not null)
        {
            // Idempotent: a second click or a second admin does not move the revocation time.
            return new ApiKeyCommandResult(ApiKeyCommandStatus.Succeeded, $"'{key.Name}' was already revoked.");
        }

        key.RevokedAt = time.GetUtcNow();
        key.RevokedBy = Actor.NameOf(user);
        await context.SaveChangesAsync(cancellationToken);
        databaseKeys.Invalidate();
        await RecordAsync(user, Action, key.Name, AuditOutcome.Succeeded, null, cancellationToken);
        return new ApiKeyCommandResult(ApiKeyCommandStatus.Succeeded, $"'{key.Name}' is revoked.");
    }

    private async Task<bool> AllowedAsync(ClaimsPrincipal user) =>
        (await authorization.AuthorizeAsync(user, Policies.Administer)).Succeeded;

    private async Task<ApiKeyCommandResult> DeniedAsync(ClaimsPrincipal user, string action, string target, CancellationToken cancellationToken)
    {
        await RecordAsync(user, action, target, AuditOutcome.Denied, "requires the Administer policy", cancellationToken);
        return new ApiKeyCommandResult(ApiKeyCommandStatus.Denied, "Only administrators can manage API keys.");
    }

    private Task RecordAsync(ClaimsPrincipal user, string action, string target, AuditOutcome outcome, string? details, CancellationToken cancellationToken) =>
        audit.RecordAsync(new AuditRecord(Actor.NameOf(user), Actor.IdOf(user), action, target, outcome, details), cancellationToken);
}
