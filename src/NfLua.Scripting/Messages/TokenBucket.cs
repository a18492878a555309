namespace NfLua.Scripting.Messages;

/// <summary>
/// A token bucket in integer arithmetic: <c>burst</c> messages at once, then <c>rate</c> per second. Time is the caller's
/// clock in milliseconds (the packet's: one clock read per batch, none per call), and a clock that goes back (a capture
/// out of order) refills nothing. Owned by one thread: plain fields, no locks, no allocation.
/// </summary>
public struct TokenBucket
{
    // A token is 1000 milli-tokens: a rate in tokens per second refills rate milli-tokens per millisecond.
    private const long Scale = 1000;

    private readonly long _rate;
    private readonly long _capacity;
    private long _milliTokens;
    private long _lastMs;
    private bool _started;

    /// <summary>A full bucket of <paramref name="burst"/> tokens refilled at <paramref name="ratePerSecond"/>.</summary>
    public TokenBucket(int ratePerSecond, int burst)
    {
        _rate = Math.Max(0, ratePerSecond);
        _capacity = Math.Max(0, burst) * Scale;
        _milliTokens = _capacity;
    }

    /// <summary>Takes one token at <paramref name="nowMs"/>; false (nothing taken) when the bucket is empty.</summary>
    public bool TryTake(long nowMs)
    {
        if (!_started)
        {
            _started = true;
            _lastMs = nowMs;
        }
        else if (nowMs > _lastMs)
        {
            // Clamped first: a long quiet spell must not overflow the product.
            long elapsed = Math.Min(nowMs - _lastMs, 1_000_000_000L);
            _milliTokens = Math.Min(_capacity, _milliTokens + (elapsed * _rate));
            _lastMs = nowMs;
        }

        if (_milliTokens < Scale)
        {
            return false;
        }

        _milliTokens -= Scale;
        return true;
    }

    /// <summary>
    /// The first millisecond at which <see cref="TryTake"/> will give a token again, by what the bucket holds now (one
    /// clock read ago): <see cref="long.MaxValue"/> when it never refills (rate 0, nothing left).
    /// </summary>
    public readonly long NextTokenMs => WhenHolding(Scale);

    /// <summary>The first millisecond at which the bucket is full again (the same clock); <see cref="long.MaxValue"/> for never.</summary>
    public readonly long FullMs => WhenHolding(_capacity);

    private readonly long WhenHolding(long milliTokens)
    {
        if (_milliTokens >= milliTokens)
        {
            return _lastMs;
        }

        if (_rate == 0)
        {
            return long.MaxValue;
        }

        // Ceiling: the token must be whole at that millisecond.
        return _lastMs + ((milliTokens - _milliTokens + _rate - 1) / _rate);
    }
}
