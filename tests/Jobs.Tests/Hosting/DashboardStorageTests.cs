using Dashboard.Data.Hangfire;
using Hangfire.Storage;

namespace Dashboard.Jobs.Tests.Hosting;

/// <summary>
/// Where DashboardStorage stands in for Hangfire.PostgreSql's storage it answers as that storage's callers expect:
/// the argument checks and the feature flags (the lock's timeout is tested on PostgreSQL, in IntegrationTests).
/// </summary>
public sealed class DashboardStorageTests
{
    [Fact]
    public void Constructor_NullOptions_ThrowsArgumentNullException()
    {
        using var notifications = TestStorage.Notifications();

        var thrown = Assert.Throws<ArgumentNullException>(() => new DashboardStorage(TestStorage.ConnectionString, null!, notifications));

        Assert.Equal("options", thrown.ParamName);
    }

    [Fact]
    public void Constructor_NullConnectionStringOrNotifications_ThrowsArgumentNullException()
    {
        using var notifications = TestStorage.Notifications();

        Assert.Equal("connectionString", Assert.Throws<ArgumentNullException>(
            () => new DashboardStorage(null!, TestStorage.Options(), notifications)).ParamName);
        Assert.Equal("notifications", Assert.Throws<ArgumentNullException>(
            () => new DashboardStorage(TestStorage.ConnectionString, TestStorage.Options(), null!)).ParamName);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void AcquireDistributedLock_NullOrEmptyResource_ThrowsArgumentNullException(string? resource)
    {
        using var notifications = TestStorage.Notifications();
        using var connection = TestStorage.Dashboard(notifications).GetConnection();

        var thrown = Assert.Throws<ArgumentNullException>(() => connection.AcquireDistributedLock(resource!, TimeSpan.Zero));

        Assert.Equal("resource", thrown.ParamName);
    }

    [Fact]
    public void HasFeature_AnswersTrueForItsOwnListOnly()
    {
        using var notifications = TestStorage.Notifications();
        var storage = TestStorage.Dashboard(notifications);

        Assert.Equal(
            new[] { JobStorageFeatures.Connection.BatchedGetFirstByLowest, JobStorageFeatures.JobQueueProperty }.Order(StringComparer.Ordinal),
            DashboardStorage.Features.Order(StringComparer.Ordinal));
        foreach (var feature in StorageUpgradeGuardTests.HangfireFeatures())
        {
            Assert.Equal(DashboardStorage.Features.Contains(feature), storage.HasFeature(feature));
        }

        Assert.True(storage.HasFeature(JobStorageFeatures.JobQueueProperty.ToUpperInvariant()));
        Assert.False(storage.HasFeature("Storage.SomethingNobodyImplements"));
        Assert.Throws<ArgumentNullException>(() => storage.HasFeature(null!));
    }

    /// <summary>The features that stand for one optional member, and the Hangfire.Core class whose default throws.</summary>
    public static TheoryData<string, Type, string, Type[]> MemberFeatures() => new()
    {
        { JobStorageFeatures.Connection.GetUtcDateTime, typeof(DashboardStorageConnection), nameof(JobStorageConnection.GetUtcDateTime), Type.EmptyTypes },
        { JobStorageFeatures.Connection.GetSetContains, typeof(DashboardStorageConnection), nameof(JobStorageConnection.GetSetContains), [typeof(string), typeof(string)] },
        { JobStorageFeatures.Connection.LimitedGetSetCount, typeof(DashboardStorageConnection), nameof(JobStorageConnection.GetSetCount), [typeof(IEnumerable<string>), typeof(int)] },
        { JobStorageFeatures.Connection.BatchedGetFirstByLowest, typeof(DashboardStorageConnection), nameof(JobStorageConnection.GetFirstByLowestScoreFromSet), [typeof(string), typeof(double), typeof(double), typeof(int)] },
        { JobStorageFeatures.Transaction.AcquireDistributedLock, typeof(DashboardWriteTransaction), nameof(JobStorageTransaction.AcquireDistributedLock), [typeof(string), typeof(TimeSpan)] },
        { JobStorageFeatures.Transaction.CreateJob, typeof(DashboardWriteTransaction), nameof(JobStorageTransaction.CreateJob), [typeof(Hangfire.Common.Job), typeof(IDictionary<string, string>), typeof(DateTime), typeof(TimeSpan)] },
        { JobStorageFeatures.Transaction.SetJobParameter, typeof(DashboardWriteTransaction), nameof(JobStorageTransaction.SetJobParameter), [typeof(string), typeof(string), typeof(string)] },
        { JobStorageFeatures.Transaction.RemoveFromQueue(typeof(Hangfire.PostgreSql.PostgreSqlFetchedJob)), typeof(DashboardWriteTransaction), nameof(JobStorageTransaction.RemoveFromQueue), [typeof(IFetchedJob)] },
    };

    [Theory]
    [MemberData(nameof(MemberFeatures))]
    public void HasFeature_ForAnOptionalMember_IsTrueExactlyWhenOurClassImplementsIt(string feature, Type type, string member, Type[] parameters)
    {
        using var notifications = TestStorage.Notifications();
        var storage = TestStorage.Dashboard(notifications);
        var method = type.GetMethod(member, parameters) ?? throw new InvalidOperationException($"{type.Name}.{member} not found");
        // Implemented by us or by the Hangfire.PostgreSql class we inherit, not Hangfire.Core's NotSupportedException.
        var implemented = method.DeclaringType != typeof(JobStorageConnection) && method.DeclaringType != typeof(JobStorageTransaction);

        Assert.True(implemented == storage.HasFeature(feature),
            $"'{feature}': {type.Name}.{member} is declared by {method.DeclaringType!.Name}, but HasFeature answers {storage.HasFeature(feature)}.");
    }

    [Fact]
    public void HasFeature_NoOptionalTransactionMember_IsAdvertised()
    {
        using var notifications = TestStorage.Notifications();
        var storage = TestStorage.Dashboard(notifications);

        // DashboardWriteTransaction replaces Hangfire.PostgreSql's and implements none of these: Hangfire.Core must
        // not call them (each would throw NotSupportedException from JobStorageTransaction).
        Assert.False(storage.HasFeature(JobStorageFeatures.Transaction.AcquireDistributedLock));
        Assert.False(storage.HasFeature(JobStorageFeatures.Transaction.CreateJob));
        Assert.False(storage.HasFeature(JobStorageFeatures.Transaction.SetJobParameter));
        Assert.False(storage.HasFeature(JobStorageFeatures.Transaction.RemoveFromQueue(typeof(Hangfire.PostgreSql.PostgreSqlFetchedJob))));
        // And the connection is Hangfire.PostgreSql's there, which implements neither.
        Assert.False(storage.HasFeature(JobStorageFeatures.ExtendedApi));
        Assert.False(storage.HasFeature(JobStorageFeatures.Connection.GetSetContains));
    }
}
