using Microsoft.Extensions.Logging;

namespace NfLua.Control;

public sealed partial class ControlServer
{
    private static partial class Log
    {
        [LoggerMessage(EventId = LogEventIds.ControlListening, Level = LogLevel.Information, Message = "Control socket listening on {Path}")]
        public static partial void Listening(ILogger logger, string path);

        [LoggerMessage(EventId = LogEventIds.ControlAcceptFailed, Level = LogLevel.Warning, Message = "Accepting a control connection failed")]
        public static partial void AcceptFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = LogEventIds.ControlAdmitFailed, Level = LogLevel.Warning, Message = "Admitting a control connection failed")]
        public static partial void AdmitFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = LogEventIds.ControlRefused, Level = LogLevel.Debug, Message = "Control connection from uid {Uid} (pid {Pid}) refused: not authorized")]
        public static partial void Refused(ILogger logger, uint uid, int pid);

        [LoggerMessage(EventId = LogEventIds.ControlBusy, Level = LogLevel.Debug, Message = "Control connection refused: all {Max} connections busy")]
        public static partial void Busy(ILogger logger, int max);

        [LoggerMessage(EventId = LogEventIds.ControlEvicted, Level = LogLevel.Debug, Message = "Idle control connection of uid {Uid} (pid {Pid}) closed to make room")]
        public static partial void Evicted(ILogger logger, uint uid, int pid);

        [LoggerMessage(EventId = LogEventIds.ControlConnectionFailed, Level = LogLevel.Debug, Message = "Control connection of uid {Uid} failed")]
        public static partial void ConnectionFailed(ILogger logger, uint uid, Exception exception);

        [LoggerMessage(EventId = LogEventIds.ControlBadFrame, Level = LogLevel.Debug, Message = "Bad frame from uid {Uid}: {Reason}")]
        public static partial void BadFrame(ILogger logger, uint uid, string reason);

        [LoggerMessage(EventId = LogEventIds.ControlFrameTimedOut, Level = LogLevel.Debug, Message = "Control frame from uid {Uid} not completed within {Timeout}")]
        public static partial void FrameTimedOut(ILogger logger, uint uid, TimeSpan timeout);

        [LoggerMessage(EventId = LogEventIds.ControlSendTimedOut, Level = LogLevel.Debug, Message = "Sending a control answer to uid {Uid} timed out")]
        public static partial void SendTimedOut(ILogger logger, uint uid);

        [LoggerMessage(EventId = LogEventIds.ControlHandlerFailed, Level = LogLevel.Error, Message = "Control request {Op} failed")]
        public static partial void HandlerFailed(ILogger logger, ControlOp op, Exception exception);

        [LoggerMessage(EventId = LogEventIds.ControlEncodeFailed, Level = LogLevel.Error, Message = "Encoding a control answer failed")]
        public static partial void EncodeFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = LogEventIds.ControlSocketNotRemoved, Level = LogLevel.Warning, Message = "Control socket {Path} could not be removed")]
        public static partial void SocketNotRemoved(ILogger logger, string path, Exception exception);
    }
}
