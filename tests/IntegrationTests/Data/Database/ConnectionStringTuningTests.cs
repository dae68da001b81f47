using Dashboard.Data.Database;
using Npgsql;

namespace Dashboard.IntegrationTests.Data.Database;

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

    [Theory]
    [InlineData("Maximum Pool Size")]
    [InlineData("MaxPoolSize")]
    [InlineData("maximum pool size")]
    [InlineData("MAXPOOLSIZE")]
    public void Apply_PoolSizeInEachSpellingNpgsqlAccepts_IsKept(string keyword)
    {
        var options = new DatabaseOptions { MaxPoolSize = 50 };

        // 100 is also Npgsql's own default: a value the operator wrote is kept even when it equals a default.
        Assert.Equal(7, new NpgsqlConnectionStringBuilder(ConnectionStringTuning.Apply($"Host=db;{keyword}=7", options)).MaxPoolSize);
        Assert.Equal(100, new NpgsqlConnectionStringBuilder(ConnectionStringTuning.Apply($"Host=db;{keyword}=100", options)).MaxPoolSize);
    }

    [Theory]
    [InlineData("No Reset On Close=false", false, 50)]
    [InlineData("NoResetOnClose=false", false, 50)]
    [InlineData("Max Auto Prepare=3", true, 3)]
    [InlineData("maxautoprepare=3", true, 3)]
    public void Apply_OtherTunedSettingsInEachSpellingNpgsqlAccepts_AreKept(string written, bool noResetOnClose, int maxAutoPrepare)
    {
        var tuned = new NpgsqlConnectionStringBuilder(ConnectionStringTuning.Apply(
            $"Host=db;{written}", new DatabaseOptions { NoResetOnClose = true, MaxAutoPrepare = 50, MaxPoolSize = 12 }));

        Assert.Equal(noResetOnClose, tuned.NoResetOnClose);
        Assert.Equal(maxAutoPrepare, tuned.MaxAutoPrepare);
        // The settings not written get the tuned defaults.
        Assert.Equal(12, tuned.MaxPoolSize);
    }

    [Theory]
    [InlineData("Max Pool Size")]
    [InlineData("MaximumPoolSize")]
    public void Apply_PoolSizeInASpellingNpgsqlRejects_SaysHowToSpellIt(string keyword)
    {
        var thrown = Assert.Throws<ArgumentException>(() => ConnectionStringTuning.Apply($"Host=db;{keyword}=7", new DatabaseOptions()));

        Assert.Contains("ConnectionStrings:Postgres", thrown.Message, StringComparison.Ordinal);
        // DbConnectionStringBuilder lower-cases the keywords it parses.
        Assert.Contains($"'{keyword}'", thrown.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("'Maximum Pool Size'", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_KnownKeywordWithABadValue_KeepsNpgsqlsOwnError()
    {
        var thrown = Assert.ThrowsAny<Exception>(() => ConnectionStringTuning.Apply("Host=db;Maximum Pool Size=many", new DatabaseOptions()));

        Assert.DoesNotContain("is not a keyword", thrown.Message, StringComparison.Ordinal);
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
