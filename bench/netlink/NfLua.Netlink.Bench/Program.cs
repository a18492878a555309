using NfLua.Netlink;
using NfLua.Netlink.Bench;

BenchArguments? arguments = BenchArguments.Parse(args);
if (arguments is null)
{
    Console.Error.WriteLine(BenchArguments.Usage);
    return 2;
}

var options = new NfQueueOptions
{
    QueueNumber = arguments.Queue,
    BatchSize = arguments.BatchSize,
    CopyRange = arguments.CopyRange,
    UseVerdictBatch = arguments.UseVerdictBatch,
};

using NfQueueSocket queue = NfQueueSocket.Open(options);
Console.Error.WriteLine($"nflua bench: queue {arguments.Queue} bound (batch {arguments.BatchSize}, copy range {arguments.CopyRange})");
BenchResult result = new AcceptAllLoop(arguments).Run(queue);
Console.WriteLine(result.Format());
return result.Packets > 0 ? 0 : 1;
