using System.Diagnostics.CodeAnalysis;

namespace NfLua.Control;

/// <summary>One response envelope: either a result or an error, with the id of the request it answers.</summary>
/// <param name="Id">The id of the request answered; 0 for errors not tied to a request (refusals, broken frames).</param>
/// <param name="Result">The result when the operation succeeded.</param>
/// <param name="Error">The error when it did not.</param>
public sealed record ControlResponse(int Id, ControlResult? Result, ControlError? Error)
{
    /// <summary>True when the response carries a result rather than an error.</summary>
    [MemberNotNullWhen(true, nameof(Result))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsOk => Error is null;

    /// <summary>A successful response.</summary>
    /// <param name="id">The request's id.</param>
    /// <param name="result">The operation's result.</param>
    /// <returns>The response.</returns>
    public static ControlResponse Success(int id, ControlResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new ControlResponse(id, result, null);
    }

    /// <summary>An error response.</summary>
    /// <param name="id">The request's id, or 0.</param>
    /// <param name="name">The kind of error.</param>
    /// <param name="message">A sentence for people.</param>
    /// <returns>The response.</returns>
    public static ControlResponse Failure(int id, ControlErrorName name, string message) =>
        new(id, null, new ControlError(name, message));

    /// <summary>An error response with a full error record (for example a compile error with file and line).</summary>
    /// <param name="id">The request's id, or 0.</param>
    /// <param name="error">The error.</param>
    /// <returns>The response.</returns>
    public static ControlResponse Failure(int id, ControlError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new ControlResponse(id, null, error);
    }
}
