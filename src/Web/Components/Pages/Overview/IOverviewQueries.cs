namespace Dashboard.Web.Components.Pages.Overview;

/// <summary>Reads the Overview figures from job storage.</summary>
public interface IOverviewQueries
{
    OverviewSnapshot Load();
}
