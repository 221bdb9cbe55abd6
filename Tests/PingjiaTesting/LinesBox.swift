import Foundation

/// Lines a test's log handler received, from any thread.
///
/// `@unchecked Sendable`: `lines` is only touched with `lock` held.
public final class LinesBox: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    public init() {}

    public func append(_ line: String) { lock.withLock { lines.append(line) } }

    public var all: [String] { lock.withLock { lines } }
}
