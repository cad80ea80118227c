import Foundation
import TenderConfig
import TenderCore

/// The profiles the coordinator checks plans against (`--specialists DIR`), and which one a
/// connected specialist runs. A specialist names itself at the handshake: `network`, or
/// `network-2` for the second instance of a pool; failing both, a profile is chosen by the kind
/// it declared when exactly one profile has that kind. Anything else has no known profile, and
/// its plans are refused with that reason.
public struct SpecialistProfiles: Sendable {
    public private(set) var byName: [String: SpecialistProfile]

    public init(_ profiles: [SpecialistProfile]) {
        byName = Dictionary(profiles.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Every `*.yaml` profile in `directory`; errors name the file and line.
    public static func load(directory: String) throws -> SpecialistProfiles {
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory)
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        } catch {
            throw ProfileDirectoryError(description: "\(directory): cannot list specialist profiles (\(error.localizedDescription)); pass --specialists DIR")
        }
        guard !files.isEmpty else {
            throw ProfileDirectoryError(description: "\(directory): no specialist profiles (*.yaml); pass --specialists DIR")
        }
        return SpecialistProfiles(try files.map { try ProfileLoader.load(path: "\(directory)/\($0)") })
    }

    public var all: [SpecialistProfile] { byName.values.sorted { $0.name < $1.name } }

    /// The profile of the specialist that connected as `name` declaring `kind`, if any.
    public func profile(forSpecialist name: String, kind: SpecialistKind?) -> SpecialistProfile? {
        if let exact = byName[name] { return exact }
        // `network-2`: an instance of a pool started from one profile.
        if let dash = name.lastIndex(of: "-"), name[name.index(after: dash)...].allSatisfy(\.isNumber), dash != name.startIndex,
           name.index(after: dash) != name.endIndex, let base = byName[String(name[..<dash])] {
            return base
        }
        guard let kind else { return nil }
        let ofKind = byName.values.filter { $0.kind == kind }
        return ofKind.count == 1 ? ofKind[0] : nil
    }
}

/// The profile directory could not be read.
public struct ProfileDirectoryError: Error, CustomStringConvertible {
    public var description: String
}
