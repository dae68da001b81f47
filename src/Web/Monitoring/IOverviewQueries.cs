namespace Dashboard.Web.Monitoring;

/// <summary>Reads the Overview figures from job storage.</summary>
public interface IOverviewQueries
{
    OverviewSnapshot Load();
}
