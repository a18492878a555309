namespace NfLua.Cli.Output;

/// <summary>A table printed with aligned columns: numbers right-aligned, text left-aligned.</summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];
    private readonly bool[] _rightAligned = new bool[headers.Length];

    public int RowCount => _rows.Count;

    /// <summary>Marks columns whose cells are numbers.</summary>
    public TextTable AlignRight(params int[] columns)
    {
        foreach (int column in columns)
        {
            _rightAligned[column] = true;
        }

        return this;
    }

    public void Add(params string[] cells)
    {
        if (cells.Length != headers.Length)
        {
            throw new ArgumentException($"a row of {cells.Length} cells in a table of {headers.Length} columns", nameof(cells));
        }

        _rows.Add(cells);
    }

    public void WriteTo(TextWriter writer)
    {
        int[] widths = new int[headers.Length];
        foreach (string[] row in _rows.Prepend(headers))
        {
            for (int i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        foreach (string[] row in _rows.Prepend(headers))
        {
            var line = new System.Text.StringBuilder();
            for (int i = 0; i < row.Length; i++)
            {
                if (i > 0)
                {
                    line.Append("  ");
                }

                bool last = i == row.Length - 1;
                line.Append(_rightAligned[i] ? row[i].PadLeft(widths[i]) : last ? row[i] : row[i].PadRight(widths[i]));
            }

            writer.WriteLine(line.ToString().TrimEnd());
        }
    }
}
