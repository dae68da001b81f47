using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MimeKit;

namespace Dashboard.IntegrationTests.Infrastructure;

/// <summary>Where <see cref="SmtpTestServer"/> closes the connection without answering.</summary>
public enum SmtpDrop
{
    None,
    /// <summary>On RCPT TO, before replying: the recipient was never accepted.</summary>
    AtRcpt,
    /// <summary>After the final dot, before replying: the client cannot know whether the message was taken.</summary>
    AfterData,
}

/// <summary>A message the server accepted (replied 2xx after its data).</summary>
public sealed record ReceivedMessage(string MailFrom, IReadOnlyList<string> Recipients, string Data)
{
    public MimeMessage Parse() => MimeMessage.Load(new MemoryStream(Encoding.Latin1.GetBytes(Data)));
}

/// <summary>
/// A small SMTP server on 127.0.0.1 for tests of the email jobs: it speaks EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP
/// and QUIT, records what it accepts, and can be told to refuse or to hang up at a chosen step. It advertises no
/// extensions, so clients send one command at a time and every step is observable. Every read is bounded in time.
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private static readonly TimeSpan SessionTimeout = TimeSpan.FromSeconds(30);

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<ReceivedMessage> _messages = new();
    private readonly ConcurrentBag<Task> _sessions = [];
    private readonly Task _acceptLoop;
    private int _connections;

    private SmtpTestServer()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _acceptLoop = AcceptAsync(_stop.Token);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public IReadOnlyList<ReceivedMessage> Messages => [.. _messages];

    /// <summary>Connections accepted so far: zero proves a job did not even try to send.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Reply to RCPT TO, e.g. <c>550 5.1.1 No such user</c>; null accepts.</summary>
    public string? RcptReply { get; set; }

    /// <summary>Reply to the DATA command; null is <c>354</c> (go ahead).</summary>
    public string? DataReply { get; set; }

    /// <summary>Reply after the final dot; null accepts and records the message.</summary>
    public string? EndOfDataReply { get; set; }

    public SmtpDrop Drop { get; set; }

    public static SmtpTestServer Start() => new();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        var all = _sessions.Append(_acceptLoop).ToArray();
        try
        {
            await Task.WhenAll(all).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            // Sessions observe the stop token on their next read; one that does not is not worth failing a test over.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(stop);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            _sessions.Add(Task.Run(() => ServeAsync(client, stop), CancellationToken.None));
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken stop)
    {
        using var _ = client;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(SessionTimeout);
        try
        {
            await ConverseAsync(client.GetStream(), timeout.Token);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The client hung up or the test ended: either way this session is over.
        }
    }

    private async Task ConverseAsync(NetworkStream stream, CancellationToken ct)
    {
        using var reader = new StreamReader(stream, Encoding.Latin1, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        await ReplyAsync(stream, "220 127.0.0.1 SmtpTestServer ready", ct);
        string? mailFrom = null;
        var recipients = new List<string>();
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var verb = (space < 0 ? line : line[..space]).ToUpperInvariant();
            switch (verb)
            {
                case "EHLO" or "HELO":
                    await ReplyAsync(stream, "250 127.0.0.1", ct);
                    break;
                case "MAIL":
                    mailFrom = PathOf(line);
                    recipients.Clear();
                    await ReplyAsync(stream, "250 2.1.0 OK", ct);
                    break;
                case "RCPT":
                    if (Drop == SmtpDrop.AtRcpt)
                    {
                        return;
                    }

                    var rcptReply = RcptReply ?? "250 2.1.5 OK";
                    if (rcptReply.StartsWith('2'))
                    {
                        recipients.Add(PathOf(line));
                    }

                    await ReplyAsync(stream, rcptReply, ct);
                    break;
                case "DATA":
                    if (mailFrom is null || recipients.Count == 0)
                    {
                        await ReplyAsync(stream, "503 5.5.1 MAIL and RCPT first", ct);
                        break;
                    }

                    var dataReply = DataReply ?? "354 End data with <CR><LF>.<CR><LF>";
                    await ReplyAsync(stream, dataReply, ct);
                    if (!dataReply.StartsWith("354", StringComparison.Ordinal))
                    {
                        break;
                    }

                    var data = await ReadDataAsync(reader, ct);
                    if (Drop == SmtpDrop.AfterData)
                    {
                        return;
                    }

                    var endReply = EndOfDataReply ?? "250 2.0.0 Queued";
                    if (endReply.StartsWith('2'))
                    {
                        // Recorded before the reply, so a client that saw 250 always finds its message here.
                        _messages.Enqueue(new ReceivedMessage(mailFrom, [.. recipients], data));
                    }

                    mailFrom = null;
                    recipients.Clear();
                    await ReplyAsync(stream, endReply, ct);
                    break;
                case "RSET":
                    mailFrom = null;
                    recipients.Clear();
                    await ReplyAsync(stream, "250 2.0.0 OK", ct);
                    break;
                case "NOOP":
                    await ReplyAsync(stream, "250 2.0.0 OK", ct);
                    break;
                case "QUIT":
                    await ReplyAsync(stream, "221 2.0.0 Bye", ct);
                    return;
                default:
                    await ReplyAsync(stream, "502 5.5.2 Command not implemented", ct);
                    break;
            }
        }
    }

    /// <summary>Reads up to the line with a single dot and undoes dot-stuffing (RFC 5321 §4.5.2).</summary>
    private static async Task<string> ReadDataAsync(StreamReader reader, CancellationToken ct)
    {
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line == ".")
            {
                return data.ToString();
            }

            data.Append(line.StartsWith('.') ? line[1..] : line).Append("\r\n");
        }

        throw new IOException("The client closed the connection in the middle of DATA.");
    }

    /// <summary><c>MAIL FROM:&lt;a@b&gt; SIZE=10</c> → <c>&lt;a@b&gt;</c>.</summary>
    private static string PathOf(string line)
    {
        var path = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].TrimStart();
        var space = path.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? path : path[..space];
    }

    private static async Task ReplyAsync(NetworkStream stream, string reply, CancellationToken ct) =>
        await stream.WriteAsync(Encoding.ASCII.GetBytes(reply + "\r\n"), ct);
}
