using System.Security.Claims;
using System.Transactions;
using Dashboard.Data.Audit;
using Dashboard.Data.Entities;
using Dashboard.Web.Components.Pages.Audit;
using Dashboard.Web.Components.Shared;
using Microsoft.AspNetCore.Authorization;

namespace Dashboard.Web.Operations;

/// <summary>
/// The one path of every operator action (DESIGN.md §3): authorize by policy, perform the change and write its audit
/// row in ONE transaction, then log. The change joins the ambient <see cref="TransactionScope"/>: Hangfire's writes
/// enlist in it (Hangfire.PostgreSql's <c>EnableTransactionScopeEnlistment</c>, on by default, honoured by our write
/// transaction) and so do EF's audit insert and any EF change (Npgsql enlists by default). Both open their connections
/// on the same connection string, so Npgsql hands the transaction the one connection it already enlisted: one
/// PostgreSQL transaction, no two-phase commit. If the audit insert fails, the change is rolled back with it.
/// <para>
/// A denied action changes nothing and writes one Denied row. An exception rolls back, is logged with a short
/// reference, and leaves one Failed row carrying that reference (written after the rollback, in its own transaction);
/// the user sees what failed and the reference, never the exception's text.
/// </para>
/// </summary>
public sealed partial class OperatorActions(
    IAuthorizationService authorization, IAuditLog audit, ReadFailures failures, ILogger<OperatorActions> logger)
{
    /// <param name="perform">The change; runs inside the transaction and must not catch what it cannot handle.</param>
    /// <param name="denied">The service's result for a user the policy refuses.</param>
    /// <param name="failed">The service's result for an exception, given the message to show (with its reference).</param>
    public async Task<T> RunAsync<T>(
        ClaimsPrincipal user,
        OperatorAction action,
        Func<CancellationToken, Task<ActionOutcome<T>>> perform,
        Func<T> denied,
        Func<string, T> failed,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(perform);
        ArgumentNullException.ThrowIfNull(denied);
        ArgumentNullException.ThrowIfNull(failed);

        if (!(await authorization.AuthorizeAsync(user, action.Policy)).Succeeded)
        {
            await audit.RecordAsync(Record(user, action, action.Target, AuditOutcome.Denied, Denial(action)), cancellationToken);
            LogDenied(logger, action.Action, action.Target, Actor.NameOf(user), action.Policy);
            return denied();
        }

        ActionOutcome<T> outcome;
        try
        {
            using (var scope = Begin())
            {
                outcome = await perform(cancellationToken);
                if (!outcome.RollBack)
                {
                    await audit.RecordAsync(Record(user, action, outcome.Target ?? action.Target, outcome.Outcome, outcome.Details), cancellationToken);
                    scope.Complete();
                }
            }

            if (outcome.RollBack)
            {
                // Disposed without Complete: rolled back. The attempt is still on record.
                await audit.RecordAsync(Record(user, action, outcome.Target ?? action.Target, outcome.Outcome, outcome.Details), cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The scope is disposed: the change and its audit row are rolled back. The failure is recorded on its own.
            var failure = failures.DescribeAction(ex, action.What);
            await RecordFailureAsync(user, action, failure);
            return failed(failure.Message);
        }

        LogDone(logger, action.Action, outcome.Target ?? action.Target, Actor.NameOf(user), outcome.Outcome, outcome.Details ?? "");
        return outcome.Result;
    }

    /// <summary>
    /// The transaction of one action: read committed as PostgreSQL's default (System.Transactions would ask for
    /// serializable), flowing across awaits, and no longer than a page waits.
    /// </summary>
    private static TransactionScope Begin() => new(
        TransactionScopeOption.Required,
        new TransactionOptions { IsolationLevel = IsolationLevel.ReadCommitted, Timeout = TimeSpan.FromMinutes(1) },
        TransactionScopeAsyncFlowOption.Enabled);

    private async Task RecordFailureAsync(ClaimsPrincipal user, OperatorAction action, ReadFailure failure)
    {
        try
        {
            // Not the caller's token: the record of a failure must not be lost because the page went away.
            using var own = new TransactionScope(TransactionScopeOption.Suppress, TransactionScopeAsyncFlowOption.Enabled);
            await audit.RecordAsync(Record(user, action, action.Target, AuditOutcome.Failed, failure.Message), CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The database is likely down; the log keeps the reference, and the user still gets the short message.
            LogAuditLost(logger, action.Action, action.Target, failure.Reference, ex);
        }
    }

    private static string Denial(OperatorAction action) => action.Context is null
        ? $"requires the {action.Policy} policy"
        : $"{action.Context}; requires the {action.Policy} policy";

    private static AuditRecord Record(ClaimsPrincipal user, OperatorAction action, string target, AuditOutcome outcome, string? details) =>
        new(Actor.NameOf(user), Actor.IdOf(user), action.Action, target, outcome, details);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Action} on {Target} by {User} denied: requires the {Policy} policy")]
    private static partial void LogDenied(ILogger logger, string action, string target, string user, string policy);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Action} on {Target} by {User}: {Outcome} {Details}")]
    private static partial void LogDone(ILogger logger, string action, string target, string user, AuditOutcome outcome, string details);

    [LoggerMessage(Level = LogLevel.Error, Message = "The audit row of failed {Action} on {Target} (reference {Reference}) could not be written")]
    private static partial void LogAuditLost(ILogger logger, string action, string target, string? reference, Exception exception);
}
