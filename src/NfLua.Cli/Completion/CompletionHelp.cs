namespace NfLua.Cli.Completion;

/// <summary>Where shell completion comes from, for the root's help.</summary>
internal static class CompletionHelp
{
    public const string Text =
        """
        Shell completion (commands, options, files, and rule names and queue numbers from the running daemon):
          bash: installed by the package as /usr/share/bash-completion/completions/nflua-ctl (with bash-completion);
                from a source build: . dist/nflua-ctl.bash-completion
        """;
}
