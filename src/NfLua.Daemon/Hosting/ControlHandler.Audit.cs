using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using NfLua.Control;

namespace NfLua.Daemon.Hosting;

/// <content>The audit trail: every request that changes something, who sent it and how it ended.</content>
internal sealed partial class ControlHandler
{
    /// <summary>
    /// Logs a change request at information (a refused one at warning): the peer's uid and pid, the operation, the
    /// rule and queue or the set, and for a load the SHA-256 of the script's (or set file's) text, so the log says
    /// which text ran when. Requests that only read (list, stats, status, set list/show) are not logged.
    /// </summary>
    private void Audit(ControlRequest request, ControlResponse response)
    {
        string? what = request.Command switch
        {
            LoadRequest load => string.Create(CultureInfo.InvariantCulture,
                $"load rule {load.Name} on queue {load.Queue}{(load.Monitor ? " in monitor mode" : "")}{(load.NoPersist ? " (not persisted)" : "")}, script {load.ScriptPath ?? "(text)"} sha256 {Sha256(load.Script)}"),
            UnloadRequest unload => $"unload rule {unload.Name}",
            ReloadRequest => "reload",
            ModeRequest mode => $"{(mode.Monitor ? "monitor" : "enforce")} rule {mode.Name}",
            SetAddRequest add => string.Create(CultureInfo.InvariantCulture, $"set add {add.Name} ({add.Values?.Count ?? 0} value(s))"),
            SetDelRequest del => string.Create(CultureInfo.InvariantCulture, $"set del {del.Name} ({del.Values?.Count ?? 0} value(s))"),
            SetLoadRequest load => load.Text is { } text
                ? $"set load {load.Name} from {load.Path ?? "(text)"} sha256 {Sha256(text)}"
                : $"set load {load.Name} from its configured file",
            _ => null,
        };
        if (what is null)
        {
            return;
        }

        string outcome = response.IsOk ? "done" : "refused: " + response.Error!.Message;
        string uid = request.Peer is { } peer ? peer.UserId.ToString(CultureInfo.InvariantCulture) : "?";
        string pid = request.Peer is { ProcessId: > 0 } p ? p.ProcessId.ToString(CultureInfo.InvariantCulture) : "?";
        if (response.IsOk)
        {
            AuditDone(audit, uid, pid, what, outcome);
        }
        else
        {
            AuditRefused(audit, uid, pid, what, outcome);
        }

        PostControlEvent(request, response);
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [LoggerMessage(EventId = LogEventIds.Audit, Level = LogLevel.Information, Message = "audit: uid {Uid} (pid {Pid}): {Action}: {Outcome}")]
    private static partial void AuditDone(ILogger logger, string uid, string pid, string action, string outcome);

    [LoggerMessage(EventId = LogEventIds.Audit, Level = LogLevel.Warning, Message = "audit: uid {Uid} (pid {Pid}): {Action}: {Outcome}")]
    private static partial void AuditRefused(ILogger logger, string uid, string pid, string action, string outcome);
}
