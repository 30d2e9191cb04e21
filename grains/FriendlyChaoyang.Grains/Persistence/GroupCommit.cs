using System.Runtime.ExceptionServices;

namespace FriendlyChaoyang.Persistence;

/// <summary>
/// Group commit for a reentrant grain's persistent state. Every call that changed the state calls
/// <see cref="MarkChanged"/> and then awaits <see cref="WhenDurableAsync"/>; changes made while a write is in flight
/// ride on the next write together, so N concurrent callers pay for about two writes instead of N.
/// Runs on the grain's single-threaded scheduler, so it needs no locks. <paramref name="writeAsync"/> writes through
/// <see cref="PersistentStateExtensions.WriteOrDeactivateAsync"/>, so a failed write also drops the activation.
/// </summary>
public sealed class GroupCommit(Func<Task> writeAsync)
{
    private long _changed;
    private long _durable;
    private Task? _flushing;
    private TaskCompletionSource _flushed = NewSignal();
    private Exception? _failure;

    public void MarkChanged()
    {
        ThrowIfBroken();
        _changed++;
    }

    /// <summary>Completes when every change marked so far is stored (also when nothing was changed).</summary>
    public async Task WhenDurableAsync()
    {
        var target = _changed;
        while (_durable < target)
        {
            ThrowIfBroken();
            var signal = _flushed.Task;
            _flushing ??= FlushAsync();
            await signal;
        }
    }

    private async Task FlushAsync()
    {
        try
        {
            while (_durable < _changed)
            {
                var covered = _changed;
                await writeAsync();
                _durable = covered;
                Signal().SetResult();
            }
        }
        catch (Exception ex)
        {
            _failure = ex;
            Signal().SetException(ex);
        }
        finally
        {
            _flushing = null;
        }
    }

    private TaskCompletionSource Signal()
    {
        var current = _flushed;
        _flushed = NewSignal();
        return current;
    }

    /// <summary>Every later call fails as the write did, until the activation (already told to deactivate) is replaced.</summary>
    private void ThrowIfBroken()
    {
        if (_failure is not null)
        {
            ExceptionDispatchInfo.Throw(_failure);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
