namespace NfLua;

/// <summary>
/// Every LoggerMessage event id of NfLua, in one place so that no two messages share one and journal queries
/// (<c>journalctl -u nfluad</c> with a structured field filter) can rely on them. Compiled into each project that logs.
/// 1xxx daemon (10xx lifecycle, 11xx queue workers, 12xx rule changes and state, 13xx watch), 2xxx rules, 3xxx control.
/// </summary>
internal static class LogEventIds
{
    public const int QueueBound = 1001;
    public const int QueueNotBound = 1002;
    public const int Ready = 1003;
    public const int Stopped = 1004;
    public const int ReloadRefused = 1005;
    public const int Reloaded = 1006;
    public const int QueueUnbound = 1007;
    public const int QueueTotals = 1008;
    public const int RuleTotals = 1009;
    public const int QueueSettingsNeedRestart = 1010;
    public const int WorkerNotStopped = 1011;
    public const int StartupFailed = 1012;
    public const int InterfaceNamesUnavailable = 1013;
    public const int MetricsWriteFailed = 1014;
    public const int MetricsWritten = 1015;

    public const int ReceiveFailed = 1101;
    public const int BatchFailed = 1102;
    public const int WorkerDidNotStop = 1103;
    public const int SendFailed = 1104;
    public const int NotPinned = 1105;
    public const int DrainEnded = 1106;
    public const int VerdictsLeftUnsent = 1107;
    public const int NoRejectMark = 1108;
    public const int RejectLooped = 1109;

    public const int RuleLoaded = 1201;
    public const int RuleMoved = 1202;
    public const int RuleUnloaded = 1203;
    public const int RuleDisplaced = 1204;
    public const int StateRestored = 1205;
    public const int StateRuleSkipped = 1206;
    public const int StateUnreadable = 1207;
    public const int StateKeptAside = 1208;
    public const int SetChanged = 1209;
    public const int SetKeptRuntimeContents = 1210;
    public const int SetRestored = 1211;
    public const int SetStateProblem = 1212;
    public const int Audit = 1213;
    public const int RuleModeChanged = 1214;

    public const int WorkerStuck = 1301;
    public const int WorkerRecovered = 1302;

    public const int RuleFailed = 2001;
    public const int RuleMessage = 2002;
    public const int EventsWriteFailed = 2003;

    public const int ControlListening = 3000;
    public const int ControlAcceptFailed = 3001;
    public const int ControlAdmitFailed = 3002;
    public const int ControlRefused = 3003;
    public const int ControlBusy = 3004;
    public const int ControlEvicted = 3005;
    public const int ControlConnectionFailed = 3006;
    public const int ControlBadFrame = 3007;
    public const int ControlFrameTimedOut = 3008;
    public const int ControlSendTimedOut = 3009;
    public const int ControlHandlerFailed = 3010;
    public const int ControlEncodeFailed = 3011;
    public const int ControlSocketNotRemoved = 3012;
}
