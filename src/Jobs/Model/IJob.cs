namespace Dashboard.Jobs.Model;

/// <summary>
/// A job: a plain DI class with one method and a small argument record. Enqueue it with
/// <c>jobs.Enqueue&lt;SendEmailJob&gt;(j =&gt; j.RunAsync(args, CancellationToken.None))</c>; Hangfire passes its own
/// token (it fires on shutdown) in place of <see cref="CancellationToken.None"/>. Declare the queue with
/// <c>[JobQueue("critical")]</c> and the attempts with <see cref="AttemptsAttribute"/> on the class. Every
/// implementation in this assembly is found by <see cref="JobCatalog"/>: adding a job is adding one file.
/// </summary>
public interface IJob<in TArgs>
    where TArgs : class
{
    Task RunAsync(TArgs args, CancellationToken cancellationToken);
}
