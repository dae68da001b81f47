using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Dashboard.IntegrationTests.Infrastructure;

/// <summary>
/// The built <c>Dashboard.Web</c> started as a separate OS process, the way users and containers run it, listening
/// on a free 127.0.0.1 port. Output is captured so tests can wait for what it prints.
/// </summary>
public sealed partial class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();

    private AppProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int ProcessId => _process.Id;

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The web application's output folder: src/Web/bin/&lt;configuration&gt;/net10.0.</summary>
    public static string WebOutputDirectory()
    {
        var configuration = typeof(AppProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var root = RepositoryRoot();
        var dir = Path.Combine(root, "src", "Web", "bin", configuration, "net10.0");
        return File.Exists(Path.Combine(dir, "Dashboard.Web.dll"))
            ? dir
            : throw new FileNotFoundException($"Dashboard.Web.dll is not built in {dir}.");
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dashboard.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Dashboard.sln not found above " + AppContext.BaseDirectory);
    }

    public static AppProcess Start(IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var outputDir = WebOutputDirectory();
        var start = new ProcessStartInfo(SigIntIgnored() ? "perl" : "dotnet")
        {
            WorkingDirectory = outputDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (start.FileName == "perl")
        {
            // This test run was started with Ctrl+C ignored (a shell's background job: `cmd &`), which every child
            // inherits and .NET then honours, so the app would never see the SIGINT the tests send. perl (always on
            // Debian) restores the default and execs dotnet in the same process, so the pid stays the app's.
            start.ArgumentList.Add("-e");
            start.ArgumentList.Add("$SIG{INT} = 'DEFAULT'; exec @ARGV or die \"exec: $!\"");
            start.ArgumentList.Add("dotnet");
        }

        start.ArgumentList.Add(Path.Combine(outputDir, "Dashboard.Web.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Nothing from the test runner's own environment decides what the app does.
        start.Environment.Remove("ConnectionStrings__Postgres");
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        // Production turns on https redirection; these tests talk plain http to 127.0.0.1, as a TLS proxy would.
        start.Environment["Dashboard__Security__HttpsRedirection"] = "false";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return new AppProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"));
    }

    /// <summary>Whether this process ignores SIGINT (bit 2 of the SigIgn mask in /proc/self/status), so its children would.</summary>
    private static bool SigIntIgnored()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null
            && ulong.TryParse(line["SigIgn:".Length..].Trim(), System.Globalization.NumberStyles.HexNumber, null, out var mask)
            && (mask & (1UL << (SigInt - 1))) != 0;
    }

    /// <summary>Waits for the start-up line and returns the URL the app printed.</summary>
    public async Task<Uri> WaitForUrlAsync(TimeSpan timeout)
    {
        Match? match = null;
        await Poll.UntilAsync(
            () =>
            {
                match = UrlLine().Match(Output);
                return match.Success || HasExited;
            },
            timeout,
            "the app to print its URL");
        return match is { Success: true }
            ? new Uri(match.Groups["url"].Value)
            : throw new InvalidOperationException($"The app exited ({ExitCode}) before it printed its URL:\n{Output}");
    }

    /// <summary>Sends a Unix signal (SIGINT = Ctrl+C, SIGTERM = docker stop, SIGKILL, SIGSTOP, SIGCONT).</summary>
    public void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.AppendLine(line);
        }
    }

    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    // The web roles print "Open <url> in your browser", a worker-only process "Health: <url>healthz".
    [GeneratedRegex(@"(Open (?<url>http://\S+/) in your browser)|(Health: (?<url>http://\S+/)healthz)")]
    private static partial Regex UrlLine();
}
