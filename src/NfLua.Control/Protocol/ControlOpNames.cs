namespace NfLua.Control;

/// <summary>Wire names of <see cref="ControlOp"/>.</summary>
internal static class ControlOpNames
{
    public static string ToWireName(ControlOp op) => op switch
    {
        ControlOp.Load => "load",
        ControlOp.Unload => "unload",
        ControlOp.List => "list",
        ControlOp.Stats => "stats",
        ControlOp.Status => "status",
        ControlOp.Reload => "reload",
        ControlOp.SetList => "set-list",
        ControlOp.SetShow => "set-show",
        ControlOp.SetAdd => "set-add",
        ControlOp.SetDel => "set-del",
        ControlOp.SetLoad => "set-load",
        ControlOp.Mode => "mode",
        ControlOp.Events => "events",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown control operation"),
    };

    public static bool TryParse(string? name, out ControlOp op)
    {
        (bool found, op) = name switch
        {
            "load" => (true, ControlOp.Load),
            "unload" => (true, ControlOp.Unload),
            "list" => (true, ControlOp.List),
            "stats" => (true, ControlOp.Stats),
            "status" => (true, ControlOp.Status),
            "reload" => (true, ControlOp.Reload),
            "set-list" => (true, ControlOp.SetList),
            "set-show" => (true, ControlOp.SetShow),
            "set-add" => (true, ControlOp.SetAdd),
            "set-del" => (true, ControlOp.SetDel),
            "set-load" => (true, ControlOp.SetLoad),
            "mode" => (true, ControlOp.Mode),
            "events" => (true, ControlOp.Events),
            _ => (false, default),
        };
        return found;
    }
}
