namespace Dashboard.Web.Monitoring;

/// <summary>
/// The live Overview state shared by every open page of this process. Pages subscribe; they never query storage.
/// </summary>
public interface IOverviewSource
{
    OverviewState Current { get; }

    /// <summary>
    /// Calls <paramref name="onChanged"/> with the current state at once (when there is one yet), then with every new
    /// state until the subscription is disposed.
    /// </summary>
    IDisposable Subscribe(Func<OverviewState, Task> onChanged);
}
