// Each test starts an nflua-ctl process, whose rule runs under the daemon's 20 ms wall-clock limit per call: on the
// 2-core machines CI uses, several of them starting at once would compete for the CPU and make that limit bite. One
// collection for the whole assembly runs the tests one after another.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerAssembly)]
