using Dashboard.Data.Database;
using Npgsql;

namespace Dashboard.IntegrationTests.Data;

public sealed class ConnectionStringTuningTests
{
    [Fact]
    public void Apply_PlainConnectionString_AddsTunedDefaults()
    {
        var tuned = new NpgsqlConnectionStringBuilder(
            ConnectionStringTuning.Apply("Host=db;Database=dashboard;Username=app", new DatabaseOptions()));

        Assert.True(tuned.NoResetOnClose);
        Assert.Equal(50, tuned.MaxAutoPrepare);
        Assert.Equal(50, tuned.MaxPoolSize);
        Assert.Equal("db", tuned.Host);
    }

    [Fact]
    public void Apply_ValuesWrittenByOperator_AreKept()
    {
        var tuned = new NpgsqlConnectionStringBuilder(ConnectionStringTuning.Apply(
            "Host=db;No Reset On Close=false;Max Auto Prepare=0;Maximum Pool Size=7",
            new DatabaseOptions { NoResetOnClose = true, MaxAutoPrepare = 50, MaxPoolSize = 50 }));

        Assert.False(tuned.NoResetOnClose);
        Assert.Equal(0, tuned.MaxAutoPrepare);
        Assert.Equal(7, tuned.MaxPoolSize);
    }

    [Fact]
    public void Apply_OptionsChanged_FollowsOptions()
    {
        var tuned = new NpgsqlConnectionStringBuilder(ConnectionStringTuning.Apply(
            "Host=db", new DatabaseOptions { NoResetOnClose = false, MaxAutoPrepare = 5, MaxPoolSize = 12 }));

        Assert.False(tuned.NoResetOnClose);
        Assert.Equal(5, tuned.MaxAutoPrepare);
        Assert.Equal(12, tuned.MaxPoolSize);
    }

    [Fact]
    public void ForReads_AddsTheStatementTimeoutAfterTheOperatorsOptions_InAPoolOfItsOwn()
    {
        const string operators = "Host=db;Options=-c search_path=app;Application Name=billing";

        var reads = new NpgsqlConnectionStringBuilder(ConnectionStringTuning.ForReads(operators, TimeSpan.FromSeconds(5)));

        Assert.Equal("-c search_path=app -c statement_timeout=5000", reads.Options);
        Assert.Equal("billing (reads)", reads.ApplicationName);
        Assert.Equal("db", reads.Host);
        Assert.Equal(ConnectionStringTuning.ReadPoolSize, reads.MaxPoolSize);
        Assert.Equal("-c statement_timeout=1", new NpgsqlConnectionStringBuilder(
            ConnectionStringTuning.ForReads("Host=db", TimeSpan.FromTicks(1))).Options);
    }
}
