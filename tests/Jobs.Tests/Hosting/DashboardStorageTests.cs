using Dashboard.Jobs.Hosting;
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
