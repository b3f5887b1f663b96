using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace MLNetNN.MLNet;

/// <summary>
/// The <see cref="MLContext"/> a trainer came from, reached through its catalog: its log (messages reach <c>ml.Log</c>
/// subscribers as ML.NET's own trainers' do) and its cancellation flag.
/// </summary>
/// <remarks>
/// ML.NET offers no public route for either. A catalog hands its environment only through the internal
/// <c>IInternalCatalog.Environment</c>; the environment itself (<see cref="IHostEnvironment"/>, its channels and
/// <see cref="IChannel.Info(MessageSensitivity, string, object[])"/>) is public. Cancellation is set by the internal
/// <c>MLContext.CancelExecution()</c> (AutoML calls it when a trial's time is up) and read by ML.NET's trainers through the
/// internal <c>ICancelable.IsCanceled</c>, which they check between steps and answer with <see cref="OperationCanceledException"/>.
/// Both are reached here by reflection once per trainer (checked in ML.NET's source at v5.0.0 and at its newest commit, and
/// pinned by the tests on each supported Microsoft.ML); should a later version rename them, training goes on without the log
/// and the flag rather than failing.
/// </remarks>
internal sealed class MLContextHost
{
    private const string ChannelName = "NeuralNetwork";
    private readonly IHostEnvironment _environment;
    private readonly Func<bool>? _isCanceled;

    private MLContextHost(IHostEnvironment environment, Func<bool>? isCanceled)
    {
        _environment = environment;
        _isCanceled = isCanceled;
    }

    /// <summary>The host of the MLContext behind <paramref name="catalog"/>, or null when ML.NET no longer exposes it.</summary>
    public static MLContextHost? Of(object catalog)
    {
        var internalCatalog = catalog.GetType().GetInterfaces().FirstOrDefault(i => i.FullName == "Microsoft.ML.Data.IInternalCatalog");
        if (internalCatalog?.GetProperty("Environment")?.GetValue(catalog) is not IHostEnvironment environment) return null;
        var cancelable = typeof(IHostEnvironment).Assembly.GetType("Microsoft.ML.Runtime.ICancelable");
        Func<bool>? isCanceled = null;
        if (cancelable is not null && cancelable.IsInstanceOfType(environment)
            && cancelable.GetProperty("IsCanceled", BindingFlags.Instance | BindingFlags.Public)?.GetMethod is { ReturnType: var type } getter
            && type == typeof(bool))
            isCanceled = (Func<bool>)Delegate.CreateDelegate(typeof(Func<bool>), environment, getter);
        return new MLContextHost(environment, isCanceled);
    }

    /// <summary>Whether the host's cancellation flag can be read (false only if ML.NET renamed it).</summary>
    public bool CanSeeCancellation => _isCanceled is not null;

    /// <summary>Whether <c>CancelExecution</c> has been called on the MLContext.</summary>
    public bool IsCanceled => _isCanceled?.Invoke() == true;

    /// <summary>Throws as ML.NET's own trainers do when their MLContext has been cancelled.</summary>
    public void ThrowIfCanceled()
    {
        if (IsCanceled) throw new OperationCanceledException("Operation was canceled.");
    }

    /// <summary>A channel whose messages reach <c>ml.Log</c>, its source named after the trainer.</summary>
    public TrainingLog StartLog() => new(_environment.Register(ChannelName).Start("Training"));
}

/// <summary>Messages of one training run to ML.NET's log; a run without an MLContext host writes nowhere.</summary>
internal sealed class TrainingLog(IChannel? channel) : IDisposable
{
    /// <summary>Writes <paramref name="message"/> as an information message (passed as an argument, so braces in it are kept).</summary>
    public void Info(string message) => channel?.Info(MessageSensitivity.None, "{0}", message);

    /// <summary>Writes <paramref name="message"/> as a warning.</summary>
    public void Warning(string message) => channel?.Warning(MessageSensitivity.None, "{0}", message);

    public void Dispose() => channel?.Dispose();
}
