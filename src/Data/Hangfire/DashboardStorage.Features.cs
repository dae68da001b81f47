using Hangfire.Storage;

namespace Dashboard.Data.Hangfire;

public sealed partial class DashboardStorage
{
    /// <summary>
    /// The optional Hangfire features this storage implements, and nothing else. Hangfire.Core asks
    /// <see cref="HasFeature"/> before it calls an optional member of the storage, its connection or its write
    /// transaction; answering from Hangfire.PostgreSql's list would promise whatever a new version of it implements
    /// in a member we replaced. <c>StorageUpgradeGuardTests</c> pins this list against the package: re-check it (and
    /// the members our classes override) whenever Hangfire.PostgreSql is bumped.
    /// </summary>
    public static IReadOnlySet<string> Features { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        // The job's queue travels in its invocation data: written by WriteBatchTarget.CreateExpiredJob and read back
        // by JobDataReader with the same serialisation as Hangfire.PostgreSql's.
        JobStorageFeatures.JobQueueProperty,
        // GetFirstByLowestScoreFromSet(key, from, to, count): PostgreSqlConnection's, inherited unchanged.
        JobStorageFeatures.Connection.BatchedGetFirstByLowest,
    };

    // Not supported, as by Hangfire.PostgreSql 1.21.1: the extended API, GetUtcDateTime, GetSetContains, the limited
    // GetSetCount, the monitoring extras; and DashboardWriteTransaction implements none of the transaction's optional
    // members (AcquireDistributedLock, CreateJob, SetJobParameter, RemoveFromQueue).
    public override bool HasFeature(string featureId)
    {
        ArgumentNullException.ThrowIfNull(featureId);
        return Features.Contains(featureId);
    }
}
