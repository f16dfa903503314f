namespace Orchestrator.Cli.Reports;

/// <summary>
/// `drill run &lt;file&gt; --wait [--out DIR]` and `drill report &lt;id&gt; --out DIR` also write a report
/// folder where orch runs (by default ./drill-reports/&lt;scenario&gt;-&lt;simulated start&gt;/ after a run); --out is orch's own switch, so it is taken out before the line goes to the host.
/// </summary>
public sealed record DrillReportRequest(IReadOnlyList<string> HostTokens, string? OutDirectory, bool IsRun)
{
    public const string DefaultRoot = "drill-reports";

    public static DrillReportRequest? From(IReadOnlyList<string> tokens)
    {
        if (tokens is not (["drill", "run", _, ..] or ["drill", "report", _, ..]))
            return null;
        var rest = new List<string>();
        string? outDirectory = null;
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i] == "--out")
                outDirectory = i + 1 < tokens.Count ? tokens[++i] : throw CliException.Usage("--out needs a directory");
            else if (tokens[i].StartsWith("--out=", StringComparison.Ordinal))
                outDirectory = tokens[i]["--out=".Length..];
            else
                rest.Add(tokens[i]);
        }
        var isRun = tokens[1] == "run";
        // Without --wait the drill has only started: there is nothing to report yet.
        if (isRun && !rest.Contains("--wait"))
            return outDirectory is null ? null : throw CliException.Usage("--out needs --wait (the report is written once the drill has finished)");
        // A finished drill's run writes its folder by default; looking one up writes only where asked.
        if (!isRun && outDirectory is null)
            return null;
        return new DrillReportRequest(rest, outDirectory, isRun);
    }
}
