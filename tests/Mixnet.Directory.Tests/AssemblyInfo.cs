// Integration fixtures each run their own Kestrel on an ephemeral port, so fixtures can run side by side.
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(2)]
