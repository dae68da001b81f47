using Dashboard.Data.Database;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Dashboard.Data.Hangfire;

/// <summary>
/// One <c>LISTEN</c> connection per process that wakes every idle worker of this process when any process enqueues a
/// job (<see cref="Announce"/> sends <c>NOTIFY</c> after the enqueuing transaction committed, so the signal arrives
/// when the job is visible).
/// <para>
/// Hangfire.PostgreSql's own long polling opens a listening connection for every dequeue call and tears it down when
/// the call returns; an error on that connection surfaces from the dequeue's <c>finally</c> block after a job was
/// already fetched, which leaves the job fetched, kept invisible by the sliding heartbeat, and never run while the
/// process lives. Here the listener is a separate _loop: its failures only cost a wake-up (the fallback poll still
/// runs), never a fetched job.
/// </para>
/// </summary>
public sealed class QueueNotifications : IDisposable
{
    /// <summary>Hangfire.PostgreSql's channel, so processes on its stock queue and ours wake each other.</summary>
    public const string Channel = "new_job";

    private static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromSeconds(5);

    private readonly string _connectionString;
    private readonly ILogger<QueueNotifications> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _startLock = new();
    private readonly string _notifyConnectionString;
    private TaskCompletionSource _pulse = NewPulse();
    private Task? _loop;
    private int _announcePending;
    private int _announcing;
    private bool _announceFailing;

    public QueueNotifications(PostgresEndpoint endpoint, ILogger<QueueNotifications> logger)
    {
        // A dedicated physical connection: it sits in WaitAsync for its whole life, so it must not come from (or go
        // back to) the pool the queries use. Keepalive lets a connection whose server vanished without a word fail
        // instead of waiting for ever.
        _connectionString = new NpgsqlConnectionStringBuilder(endpoint.ConnectionString)
        {
            Pooling = false,
            KeepAlive = 15,
        }.ConnectionString;
        // Announcing is a short statement on an ordinary pooled connection, outside any caller's transaction.
        _notifyConnectionString = new NpgsqlConnectionStringBuilder(endpoint.ConnectionString) { Enlist = false }.ConnectionString;
        _logger = logger;
    }

    /// <summary>Completes at the next notification (or reconnect). Take it before looking at the queue, then wait.</summary>
    public Task NextSignal
    {
        get
        {
            EnsureListening();
            return Volatile.Read(ref _pulse).Task;
        }
    }

    /// <summary>Listening since the last (re)connect; false while the database is away.</summary>
    public bool IsListening { get; private set; }

    /// <summary>Wakes every waiter, which then looks at the queue again.</summary>
    public void Signal() => Interlocked.Exchange(ref _pulse, NewPulse()).TrySetResult();

    /// <summary>
    /// Tells the listeners of every process that jobs were committed to the queue: one <c>NOTIFY</c> on its own
    /// connection, sent in the background, and coalesced: calls made while one is being sent are answered by one more,
    /// not one each. A <c>NOTIFY</c> is a transaction that PostgreSQL serialises with every other notifying
    /// transaction up to its commit flush, so one per enqueued job would queue the enqueuers behind each other's
    /// disk flushes; when idle, the first call sends at once, so pickup latency is unchanged. A lost notification
    /// costs a wake-up, never a job (workers still poll every queue poll interval).
    /// </summary>
    public void Announce()
    {
        Volatile.Write(ref _announcePending, 1);
        if (Interlocked.CompareExchange(ref _announcing, 1, 0) == 0)
        {
            _ = Task.Run(AnnounceAsync);
        }
    }

    private async Task AnnounceAsync()
    {
        while (true)
        {
            while (Interlocked.Exchange(ref _announcePending, 0) == 1)
            {
                try
                {
                    await using var connection = new NpgsqlConnection(_notifyConnectionString);
                    await connection.OpenAsync(_stopping.Token);
                    await using var notify = new NpgsqlCommand($"NOTIFY {Channel}", connection);
                    await notify.ExecuteNonQueryAsync(_stopping.Token);
                    _announceFailing = false;
                }
                catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    // Whatever went wrong, the loop goes on (and ends normally), or no later call would start it again.
                    if (!_announceFailing)
                    {
                        _logger.LogWarning(ex, "Could not notify workers of enqueued jobs; they find them at their next poll");
                        _announceFailing = true;
                    }
                }
            }

            Volatile.Write(ref _announcing, 0);
            // A call that came after the last look but before the flag was cleared started no sender: take it here.
            if (Volatile.Read(ref _announcePending) == 0 || Interlocked.CompareExchange(ref _announcing, 1, 0) != 0)
            {
                return;
            }
        }
    }

    private static TaskCompletionSource NewPulse() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void EnsureListening()
    {
        if (_loop is not null)
        {
            return;
        }

        lock (_startLock)
        {
            if (_loop is null && !_stopping.IsCancellationRequested)
            {
                _loop = Task.Run(() => ListenAsync(_stopping.Token));
            }
        }
    }

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        var failing = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_connectionString);
                await connection.OpenAsync(cancellationToken);
                connection.Notification += (_, _) => Signal();
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken);
                }

                IsListening = true;
                if (failing)
                {
                    _logger.LogInformation("Listening for enqueued jobs again");
                    failing = false;
                }

                delay = TimeSpan.FromMilliseconds(250);
                // Jobs enqueued while no one listened sent their notification to no one: look now.
                Signal();
                while (true)
                {
                    await connection.WaitAsync(cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                IsListening = false;
                if (!failing)
                {
                    _logger.LogWarning(ex, "Lost the connection that listens for enqueued jobs; workers poll every queue poll interval until it is back");
                    failing = true;
                }
            }

            Signal();
            try
            {
                await Task.Delay(delay, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxReconnectDelay.Ticks));
        }

        IsListening = false;
    }

    public void Dispose()
    {
        _stopping.Cancel();
        Task? running;
        lock (_startLock)
        {
            running = _loop;
        }

        try
        {
            // The _loop only awaits cancellable calls, so it ends promptly.
            running?.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // Its errors were logged where they happened; disposal must not throw.
        }

        _stopping.Dispose();
        Signal();
    }
}
