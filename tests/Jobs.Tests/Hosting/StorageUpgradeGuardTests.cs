using System.Reflection;
using Dashboard.Data.Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Storage;

namespace Dashboard.Jobs.Tests.Hosting;

/// <summary>
/// The upgrade guard of our fork of Hangfire.PostgreSql: what the referenced package answers and which of its
/// members our classes replace, pinned for the version below. Bumping Hangfire.PostgreSql (or Hangfire.Core) makes
/// these fail with what to re-check; update the pins only after that check.
/// </summary>
public sealed class StorageUpgradeGuardTests
{
    private const string PinnedVersion = "1.21.1";

    private static string PackageVersion =>
        typeof(PostgreSqlStorage).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(PostgreSqlStorage).Assembly.GetName().Version!.ToString();

    private static string ReCheck(string what) =>
        $"Hangfire.PostgreSql changed (referenced {PackageVersion}, pinned {PinnedVersion}): re-check DashboardStorage.Features and " +
        $"the overrides of DashboardStorage, DashboardStorageConnection and DashboardWriteTransaction. {what}";

    /// <summary>Every feature id Hangfire.Core 1.8 defines (its constants, and RemoveFromQueue for the queue's fetched job).</summary>
    internal static IReadOnlyList<string> HangfireFeatures()
    {
        var constants = new[] { typeof(JobStorageFeatures) }
            .Concat(typeof(JobStorageFeatures).GetNestedTypes(BindingFlags.Public))
            .SelectMany(type => type.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(field => field.FieldType == typeof(string))
            .Select(field => (string)field.GetValue(null)!);
        return [.. constants, JobStorageFeatures.Transaction.RemoveFromQueue(typeof(PostgreSqlFetchedJob))];
    }

    [Fact]
    public void ReferencedPackage_IsThePinnedVersion()
    {
        Assert.True(PackageVersion == PinnedVersion, ReCheck("Then update PinnedVersion and the pins of this class."));
    }

    [Fact]
    public void HangfireCore_FeatureIds_AreThePinnedOnes()
    {
        string[] pinned =
        [
            "Connection.BatchedGetFirstByLowestScoreFromSet",
            "Connection.GetSetContains",
            "Connection.GetSetCount.Limited",
            "Connection.GetUtcDateTime",
            "Job.Queue",
            "Monitoring.AwaitingJobs",
            "Monitoring.DeletedStateGraphs",
            "Storage.ExtendedApi",
            "Storage.ProcessesInsteadOfComponents",
            "Transaction.AcquireDistributedLock",
            "Transaction.CreateJob",
            "Transaction.SetJobParameter",
            "TransactionalAcknowledge:PostgreSqlFetchedJob",
        ];

        AssertPinned(pinned, HangfireFeatures(),
            "Hangfire.Core's feature ids changed: decide for each new one whether DashboardStorage.Features should list it.");
    }

    [Fact]
    public void PackageStorage_AnswersThePinnedFeatures()
    {
        var package = TestStorage.Package();
        // Of the feature ids above (the package names no others), what Hangfire.PostgreSql's storage answers true for.
        string[] pinned = ["Connection.BatchedGetFirstByLowestScoreFromSet", "Job.Queue"];

        AssertPinned(pinned, HangfireFeatures().Where(package.HasFeature), "Its storage answers other features.");
    }

    [Fact]
    public void StorageMembers_OverriddenByThePackageAndByUs_AreThePinnedOnes()
    {
        string[] pinned =
        [
            "GetComponents(): package",
            "GetConnection(): package, ours",
            "GetMonitoringApi(): package",
            "GetReadOnlyConnection(): Hangfire.Core",
            "GetServerRequiredProcesses(): Hangfire.Core",
            "GetStateHandlers(): Hangfire.Core",
            "GetStorageWideProcesses(): Hangfire.Core",
            "HasFeature(String): package, ours",
            "WriteOptionsToLog(ILog): package",
            "get_LinearizableReads(): Hangfire.Core",
        ];

        AssertPinned(pinned, Slots(typeof(PostgreSqlStorage), typeof(DashboardStorage), typeof(Hangfire.JobStorage)),
            "The virtual members of PostgreSqlStorage, or those DashboardStorage overrides, differ.");
    }

    [Fact]
    public void ConnectionMembers_OverriddenByThePackageAndByUs_AreThePinnedOnes()
    {
        string[] pinned =
        [
            "AcquireDistributedLock(String, TimeSpan): package, ours",
            "AnnounceServer(String, ServerContext): package",
            "CreateExpiredJob(Job, IDictionary<String, String>, DateTime, TimeSpan): package, ours",
            "CreateWriteTransaction(): package, ours",
            "Dispose(): package",
            "FetchNextJob(String[], CancellationToken): package",
            "GetAllEntriesFromHash(String): package",
            "GetAllItemsFromList(String): package",
            "GetAllItemsFromSet(String): package",
            "GetCounter(String): package",
            "GetFirstByLowestScoreFromSet(String, Double, Double): package",
            "GetFirstByLowestScoreFromSet(String, Double, Double, Int32): package",
            "GetHashCount(String): package",
            "GetHashTtl(String): package",
            "GetJobData(String): package, ours",
            "GetJobParameter(String, String): package",
            "GetListCount(String): package",
            "GetListTtl(String): package",
            "GetRangeFromList(String, Int32, Int32): package",
            "GetRangeFromSet(String, Int32, Int32): package",
            "GetSetContains(String, String): Hangfire.Core",
            "GetSetCount(IEnumerable<String>, Int32): Hangfire.Core",
            "GetSetCount(String): package",
            "GetSetTtl(String): package",
            "GetStateData(String): package",
            "GetUtcDateTime(): Hangfire.Core",
            "GetValueFromHash(String, String): package",
            "Heartbeat(String): package",
            "RemoveServer(String): package",
            "RemoveTimedOutServers(TimeSpan): package",
            "SetJobParameter(String, String, String): package",
            "SetRangeInHash(String, IEnumerable<KeyValuePair<String, String>>): package",
        ];

        AssertPinned(pinned, Slots(typeof(PostgreSqlConnection), typeof(DashboardStorageConnection), typeof(JobStorageConnection)),
            "The virtual members of PostgreSqlConnection, or those DashboardStorageConnection overrides, differ.");
    }

    [Fact]
    public void TransactionMembers_ImplementedByThePackageAndByUs_AreThePinnedOnes()
    {
        // DashboardWriteTransaction replaces PostgreSqlWriteOnlyTransaction (both derive from JobStorageTransaction):
        // a member the package starts implementing may be one Hangfire.Core now calls.
        string[] pinned =
        [
            "AcquireDistributedLock(String, TimeSpan): Hangfire.Core",
            "AddJobState(String, IState): package, ours",
            "AddRangeToSet(String, IList<String>): package, ours",
            "AddToQueue(String, String): package, ours",
            "AddToSet(String, String): package, ours",
            "AddToSet(String, String, Double): package, ours",
            "Commit(): package, ours",
            "CreateJob(Job, IDictionary<String, String>, DateTime, TimeSpan): Hangfire.Core",
            "DecrementCounter(String): package, ours",
            "DecrementCounter(String, TimeSpan): package, ours",
            "Dispose(): ours",
            "ExpireHash(String, TimeSpan): package, ours",
            "ExpireJob(String, TimeSpan): package, ours",
            "ExpireList(String, TimeSpan): package, ours",
            "ExpireSet(String, TimeSpan): package, ours",
            "IncrementCounter(String): package, ours",
            "IncrementCounter(String, TimeSpan): package, ours",
            "InsertToList(String, String): package, ours",
            "PersistHash(String): package, ours",
            "PersistJob(String): package, ours",
            "PersistList(String): package, ours",
            "PersistSet(String): package, ours",
            "RemoveFromList(String, String): package, ours",
            "RemoveFromQueue(IFetchedJob): Hangfire.Core",
            "RemoveFromSet(String, String): package, ours",
            "RemoveHash(String): package, ours",
            "RemoveSet(String): package, ours",
            "SetJobParameter(String, String, String): Hangfire.Core",
            "SetJobState(String, IState): package, ours",
            "SetRangeInHash(String, IEnumerable<KeyValuePair<String, String>>): package, ours",
            "TrimList(String, Int32, Int32): package, ours",
        ];

        AssertPinned(pinned, Slots(typeof(PostgreSqlWriteOnlyTransaction), typeof(DashboardWriteTransaction), typeof(JobStorageTransaction)),
            "The virtual members of PostgreSqlWriteOnlyTransaction, or those DashboardWriteTransaction implements, differ.");
    }

    /// <summary>
    /// Each overridable member of <paramref name="package"/> (from Hangfire.Core's <paramref name="hangfireBase"/> or
    /// its own), as "signature: who implements it", where "package" means the package's type declares it and "ours"
    /// that our type does.
    /// </summary>
    private static IEnumerable<string> Slots(Type package, Type ours, Type hangfireBase)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance;
        static bool Overridable(MethodInfo method) =>
            method.IsVirtual && (method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly)
            && method.GetBaseDefinition().DeclaringType != typeof(object);

        var oursBySlot = ours.GetMethods(flags).Where(m => m.IsVirtual).ToDictionary(m => m.GetBaseDefinition(), m => m);
        foreach (var method in package.GetMethods(flags).Where(Overridable))
        {
            var slot = method.GetBaseDefinition();
            if (slot.DeclaringType != package && !slot.DeclaringType!.IsAssignableFrom(hangfireBase))
            {
                continue;
            }

            var by = new List<string>();
            if (method.DeclaringType == package)
            {
                by.Add(method.IsFinal ? "package (sealed)" : "package");
            }
            else if (method.IsAbstract)
            {
                by.Add("abstract");
            }

            if (oursBySlot.TryGetValue(slot, out var our) && our.DeclaringType == ours)
            {
                by.Add("ours");
            }

            yield return $"{Signature(method)}: {(by.Count == 0 ? "Hangfire.Core" : string.Join(", ", by))}";
        }
    }

    private static string Signature(MethodInfo method) =>
        $"{method.Name}({string.Join(", ", method.GetParameters().Select(p => TypeName(p.ParameterType)))})";

    private static string TypeName(Type type) =>
        type.IsGenericType
            ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>"
            : type.Name;

    private static string Lines(IReadOnlyCollection<string> lines) =>
        lines.Count == 0 ? " (none)" : Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", lines);

    private static void AssertPinned(IEnumerable<string> pinned, IEnumerable<string> actual, string what)
    {
        var expected = pinned.Order(StringComparer.Ordinal).ToList();
        var found = actual.Order(StringComparer.Ordinal).ToList();
        var gone = expected.Except(found, StringComparer.Ordinal).ToList();
        var added = found.Except(expected, StringComparer.Ordinal).ToList();
        Assert.True(gone.Count == 0 && added.Count == 0 && expected.Count == found.Count, ReCheck(
            $"{what}{Environment.NewLine}Pinned but now absent:{Lines(gone)}{Environment.NewLine}Now present but not pinned:{Lines(added)}"));
    }
}
