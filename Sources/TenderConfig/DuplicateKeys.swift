import Yams

/// Where a duplicated mapping key is. Yams rejects a mapping with a repeated key but reports
/// only the key's first position (and embeds the whole document in its message); a user needs
/// the line of the repetition, and where the first one is.
enum DuplicateKeys {
    /// One error per duplicated key: `file:LINE: duplicate key 'x' (first at line N)`.
    ///
    /// `first` is where Yams saw the first occurrence of the first key (1-based line and column).
    /// The repetition is searched in the lines that follow at the same indentation, stopping
    /// where the mapping ends (a line indented less); one-line flow mappings are searched on the
    /// same line. A key not found again (an unusual layout) is reported at its first line.
    static func locate(_ keys: [String], firstAt first: Mark, in text: String, file: String) -> [ConfigError] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return keys.map { key in
            let name = "'\(ConfigError.snippet(key))'"
            guard let start = firstLine(of: key, near: first, in: lines) else {
                return ConfigError(file: file, line: first.line, "duplicate key \(name)")
            }
            let repeated = repetition(of: key, after: start, in: lines)
            return ConfigError(file: file, line: repeated?.line ?? start.line, "duplicate key \(name) (first at line \(start.line))")
        }
    }

    private struct Position {
        var line: Int
        var column: Int
    }

    /// The first occurrence: at Yams's mark for the first key, else searched from that line.
    private static func firstLine(of key: String, near mark: Mark, in lines: [Substring]) -> Position? {
        let index = mark.line - 1
        guard lines.indices.contains(index) else { return nil }
        let column = max(mark.column - 1, 0)
        if startsWithKey(lines[index], key, at: column) { return Position(line: mark.line, column: column) }
        // Another duplicated key of the same mapping: same indentation, further down.
        return repetition(of: key, after: Position(line: mark.line - 1, column: column), in: lines, sameLine: false)
    }

    private static func repetition(of key: String, after start: Position, in lines: [Substring], sameLine: Bool = true) -> Position? {
        let index = start.line - 1
        if sameLine, lines.indices.contains(index) {
            // A flow mapping on one line: `{a: 1, a: 2}`.
            let rest = lines[index].dropFirst(start.column + key.count)
            if rest.contains("\(key):") || rest.contains("\"\(key)\":") || rest.contains("'\(key)':") {
                return Position(line: start.line, column: start.column)
            }
        }
        var next = index + 1
        while next < lines.count {
            let line = lines[next]
            let content = line.drop { $0 == " " }
            let indent = line.count - content.count
            if !content.isEmpty, !content.hasPrefix("#") {
                if indent < start.column { return nil }
                if indent == start.column, startsWithKey(line, key, at: indent) { return Position(line: next + 1, column: indent) }
            }
            next += 1
        }
        return nil
    }

    /// `line` has `key:` (plain or quoted) starting at `column`.
    private static func startsWithKey(_ line: Substring, _ key: String, at column: Int) -> Bool {
        let rest = line.dropFirst(column)
        for spelling in [key, "\"\(key)\"", "'\(key)'"] where rest.hasPrefix(spelling) {
            let after = rest.dropFirst(spelling.count).drop { $0 == " " }
            if after.hasPrefix(":") { return true }
        }
        return false
    }
}
