namespace NfLua.Control;

/// <summary>An error returned by the daemon instead of a result.</summary>
/// <param name="Name">What kind of error it is; decides the CLI's exit code.</param>
/// <param name="Message">A sentence for people, e.g. <c>rules/ssh.lua:3: unexpected symbol near 'end'</c>.</param>
/// <param name="File">For <see cref="ControlErrorName.CompileError"/>: the script path the error refers to.</param>
/// <param name="Line">For <see cref="ControlErrorName.CompileError"/>: the 1-based line of the error.</param>
public sealed record ControlError(ControlErrorName Name, string Message, string? File = null, int? Line = null);
