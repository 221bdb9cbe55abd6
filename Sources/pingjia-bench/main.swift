import Foundation

// pingjia-bench: Pingjia's benchmarks, run through bench/<name>/run in a release build.
let arguments = Array(CommandLine.arguments.dropFirst())
do {
    switch arguments.first {
    case "aggregation":
        try AggregationBenchmark(arguments: Array(arguments.dropFirst())).run()
    default:
        FileHandle.standardError.write(Data("usage: pingjia-bench aggregation [--responses N] [--insert-rows N] [--keep]\n".utf8))
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("pingjia-bench: \(error)\n".utf8))
    exit(1)
}
