namespace Dashboard.Web.Security;

internal static partial class SecurityLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Created the first administrator {Email} from Dashboard:Admin")]
    public static partial void AdminCreatedFromSettings(ILogger logger, string email);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Created the development administrator {Email}; its generated password is in {File}")]
    public static partial void AdminGenerated(ILogger logger, string email, string file);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No user exists and Dashboard:Admin is not set: nobody can sign in until Dashboard__Admin__Email and Dashboard__Admin__Password are set and the app restarts")]
    public static partial void NoAdmin(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not create the first administrator {Email}: {Errors}")]
    public static partial void AdminFailed(ILogger logger, string email, string errors);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in failed for {Email} from {RemoteIp}: {Reason}")]
    public static partial void SignInFailed(ILogger logger, string email, string? remoteIp, string reason);
}
