/// One argv element with `{param}` placeholders. Filled from a step's validated typed parameters
/// into a single argv element each: a value is never split, never re-parsed, never given to a
/// shell, so `; rm -rf /` in an entity is just an odd string a program receives.
public struct ArgvTemplate: Sendable, Hashable {
    enum Piece: Sendable, Hashable {
        case literal(String)
        case placeholder(String)
    }

    public struct Problem: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    let pieces: [Piece]

    /// Parse `text`; `{{` and `}}` stand for literal braces.
    public init(_ text: String) throws {
        var pieces: [Piece] = []
        var literal = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index)
            if character == "{", next < text.endIndex, text[next] == "{" {
                literal.append("{")
                index = text.index(after: next)
            } else if character == "}", next < text.endIndex, text[next] == "}" {
                literal.append("}")
                index = text.index(after: next)
            } else if character == "{" {
                guard let close = text[next...].firstIndex(of: "}") else { throw Problem(description: "`{` without a closing `}`") }
                let name = String(text[next..<close])
                guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                    throw Problem(description: "placeholder `{\(name)}` is not a parameter name")
                }
                if !literal.isEmpty { pieces.append(.literal(literal)) }
                literal = ""
                pieces.append(.placeholder(name))
                index = text.index(after: close)
            } else if character == "}" {
                throw Problem(description: "`}` without an opening `{` (write `}}` for a literal brace)")
            } else {
                literal.append(character)
                index = next
            }
        }
        if !literal.isEmpty || pieces.isEmpty { pieces.append(.literal(literal)) }
        self.pieces = pieces
    }

    public var placeholders: [String] {
        pieces.compactMap { if case .placeholder(let name) = $0 { name } else { nil } }
    }

    /// Fill the placeholders; fails naming a placeholder the step has no parameter for.
    public func fill(_ parameters: [TypedParameter]) throws -> String {
        var text = ""
        for piece in pieces {
            switch piece {
            case .literal(let literal):
                text += literal
            case .placeholder(let name):
                guard let parameter = parameters.first(where: { $0.name == name }) else {
                    let known = parameters.map(\.name).joined(separator: ", ")
                    throw Problem(description: "placeholder `{\(name)}` names no parameter of this step (it has: \(known.isEmpty ? "none" : known))")
                }
                text += parameter.value
            }
        }
        return text
    }
}
