namespace NfLua.Control;

/// <summary>The result of a successful operation: <see cref="LoadResult"/>, <see cref="UnloadResult"/>, <see cref="ListResult"/>,
/// <see cref="StatsResult"/>, <see cref="StatusResult"/> or <see cref="ReloadResult"/>.</summary>
public abstract record ControlResult;
