using Dashboard.Web.Operations;
using Dashboard.Data;
using Dashboard.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dashboard.Web.Security;

/// <summary>What the sign-in form may do with one attempt, decided before the password is checked.</summary>
/// <param name="LockedForThisAddress">Too many wrong passwords for this account from this address: refuse unchecked.</param>
/// <param name="Delay">How long to wait before checking the password (the account is under attack from many addresses).</param>
public sealed record SignInGate(bool LockedForThisAddress, TimeSpan Delay);

/// <summary>
/// Brute-force protection that a stranger cannot turn against an account's owner. Failures are counted per account
/// <em>and</em> client address, from the <c>signin.failed</c> rows the form writes anyway (so every replica sees the
/// same counts and nothing new is stored): an address that guessed wrong <see cref="SecurityOptions.LockoutFailures"/>
/// times in <see cref="SecurityOptions.LockoutWindow"/> is refused for that account until its oldest failure ages
/// out, while the owner, from anywhere else, signs in as usual. Against guessing spread over many addresses, each
/// attempt on an account with <see cref="SecurityOptions.SlowdownAfterFailures"/> recent failures waits
/// <see cref="SecurityOptions.SlowdownDelay"/> first: slower for everyone, locked for no one.
/// </summary>
public sealed class SignInThrottle(IDbContextFactory<DashboardDbContext> contexts, IOptions<SecurityOptions> options, TimeProvider time)
{
    /// <summary>The <c>signin.failed</c> detail of a failure that counts: a password was checked and was wrong.</summary>
    public const string WrongPassword = "wrong email or password";

    public async Task<SignInGate> CheckAsync(string email, string? remoteIp, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var since = time.GetUtcNow() - settings.LockoutWindow;
        var account = email.ToLowerInvariant();
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        var recent = context.AuditEntries.AsNoTracking()
            .Where(e => e.At > since && e.Target != null && e.Target.ToLower() == account);

        // A success from this address wipes its slate (the owner who mistyped a few times is not held to them), and
        // an administrator's password reset wipes every address's: it is how an admin lets a locked-out user back in.
        var lastSuccess = await recent
            .Where(e => (e.Action == AuditActions.SignInSucceeded && e.RemoteIp == remoteIp)
                || (e.Action == AuditActions.UserPasswordReset && e.Outcome == AuditOutcome.Succeeded))
            .MaxAsync(e => (DateTimeOffset?)e.At, cancellationToken);
        var fromHere = await recent
            .Where(e => e.Action == AuditActions.SignInFailed && e.Details == WrongPassword && e.RemoteIp == remoteIp && (lastSuccess == null || e.At > lastSuccess))
            .CountAsync(cancellationToken);
        if (fromHere >= settings.LockoutFailures)
        {
            return new SignInGate(LockedForThisAddress: true, TimeSpan.Zero);
        }

        var fromAnywhere = await recent
            .Where(e => e.Action == AuditActions.SignInFailed && e.Details == WrongPassword)
            .CountAsync(cancellationToken);
        return new SignInGate(false, fromAnywhere >= settings.SlowdownAfterFailures ? settings.SlowdownDelay : TimeSpan.Zero);
    }

    /// <summary>The longest email the form looks up; longer input is a wrong email without a query.</summary>
    public const int MaxEmailLength = 256;

    /// <summary>
    /// Whether <paramref name="email"/> can be an account name at all: not longer than the user-name column and free of
    /// control characters. Anything else is answered like a wrong password, without asking Identity.
    /// </summary>
    public static bool IsPlausibleEmail(string email) =>
        email.Length is > 0 and <= MaxEmailLength && !email.Any(char.IsControl);
}
