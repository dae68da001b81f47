using Microsoft.Extensions.Logging;
using HangfireLog = Hangfire.Logging;

namespace Dashboard.Jobs.Hosting;

/// <summary>
/// Hangfire's logging goes through one process-wide provider, set by whichever host configured Hangfire last. When
/// several hosts live in one process one after another (the test suite), a provider can outlive its host's logger
/// factory; Hangfire's own adapter then throws ObjectDisposedException from inside job clients and dashboard
/// requests. This adapter drops such messages instead: losing a log line of a disposed host is harmless, failing the
/// request is not. In a normal process (one host) it behaves exactly like Hangfire's adapter.
/// </summary>
internal sealed class HostLogProvider(ILoggerFactory factory) : HangfireLog.ILogProvider
{
    public HangfireLog.ILog GetLogger(string name) => new SafeLog(factory, name);

    private sealed class SafeLog(ILoggerFactory factory, string name) : HangfireLog.ILog
    {
        private ILogger? _logger;

        public bool Log(HangfireLog.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            try
            {
                _logger ??= factory.CreateLogger(name);
                var level = Map(logLevel);
                if (messageFunc is null)
                {
                    return _logger.IsEnabled(level);
                }

                if (!_logger.IsEnabled(level))
                {
                    return false;
                }

#pragma warning disable CA1848, CA2254 // Hangfire hands over finished message text, not a template: nothing to cache or structure.
                _logger.Log(level, 0, exception, messageFunc());
#pragma warning restore CA1848, CA2254
                return true;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }

        private static LogLevel Map(HangfireLog.LogLevel level) => level switch
        {
            HangfireLog.LogLevel.Trace => LogLevel.Trace,
            HangfireLog.LogLevel.Debug => LogLevel.Debug,
            HangfireLog.LogLevel.Info => LogLevel.Information,
            HangfireLog.LogLevel.Warn => LogLevel.Warning,
            HangfireLog.LogLevel.Error => LogLevel.Error,
            _ => LogLevel.Critical,
        };
    }
}
