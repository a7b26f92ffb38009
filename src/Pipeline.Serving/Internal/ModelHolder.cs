using Pipeline.Serving.Models;

namespace Pipeline.Serving.Internal;

/// <summary>
/// The serving model behind a reference swap. Batches take a lease; a swapped-out model is
/// disposed when its last lease ends, so in-flight batches finish on the version they started with.
/// </summary>
internal sealed class ModelHolder : IDisposable
{
    private readonly Lock _lock = new();
    private Entry? _current;

    /// <summary>The descriptor of the model serving now, or null before the first load.</summary>
    public IServingModel? Current
    {
        get
        {
            lock (_lock)
            {
                return _current?.Model;
            }
        }
    }

    /// <summary>Takes a lease on the current model; null before the first load.</summary>
    public Lease? Acquire()
    {
        lock (_lock)
        {
            if (_current is null)
            {
                return null;
            }

            _current.Leases++;
            return new Lease(this, _current);
        }
    }

    /// <summary>Makes <paramref name="model"/> the one serving; returns the previous one's descriptor.</summary>
    public ModelDescriptor? Swap(IServingModel model)
    {
        Entry? old;
        lock (_lock)
        {
            old = _current;
            _current = new Entry(model);
            if (old is not null)
            {
                old.Retired = true;
                if (old.Leases > 0)
                {
                    return old.Model.Descriptor;
                }
            }
        }

        old?.Model.Dispose();
        return old?.Model.Descriptor;
    }

    public void Dispose()
    {
        Entry? old;
        lock (_lock)
        {
            old = _current;
            _current = null;
            if (old is not null)
            {
                old.Retired = true;
                if (old.Leases > 0)
                {
                    return;
                }
            }
        }

        old?.Model.Dispose();
    }

    private void Release(Entry entry)
    {
        bool dispose;
        lock (_lock)
        {
            entry.Leases--;
            dispose = entry.Retired && entry.Leases == 0;
        }

        if (dispose)
        {
            entry.Model.Dispose();
        }
    }

    /// <summary>Use of one model for one batch window; dispose to release.</summary>
    internal sealed class Lease : IDisposable
    {
        private readonly ModelHolder _holder;
        private readonly Entry _entry;
        private int _released;

        public Lease(ModelHolder holder, Entry entry)
        {
            _holder = holder;
            _entry = entry;
        }

        public IServingModel Model => _entry.Model;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                _holder.Release(_entry);
            }
        }
    }

    internal sealed class Entry(IServingModel model)
    {
        public IServingModel Model { get; } = model;

        public int Leases { get; set; }

        public bool Retired { get; set; }
    }
}
