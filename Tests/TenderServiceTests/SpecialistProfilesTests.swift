import Testing
import TenderConfig
import TenderCore
@testable import TenderService

/// Which profile a connected specialist's plans are checked against.
@Suite struct SpecialistProfilesTests {
    static let shipped = try! SpecialistProfiles.load(directory: "specialists")

    @Test func aSpecialistIsFoundByItsNameThenItsPoolNameThenItsKind() {
        #expect(Self.shipped.profile(forSpecialist: "network", kind: .network)?.name == "network")
        #expect(Self.shipped.profile(forSpecialist: "network-12", kind: nil)?.name == "network")
        #expect(Self.shipped.profile(forSpecialist: "edge-team", kind: .security)?.name == "security")
    }

    @Test func aNameWithNoProfileAndNoKindHasNone() {
        #expect(Self.shipped.profile(forSpecialist: "edge-team", kind: nil) == nil)
        #expect(Self.shipped.profile(forSpecialist: "-2", kind: nil) == nil)
        #expect(Self.shipped.profile(forSpecialist: "network-", kind: nil) == nil)
    }

    @Test func aKindSharedByTwoProfilesIsAmbiguousAndFindsNone() {
        var twin = Self.shipped.byName["network"]!
        twin.name = "network-edge"
        let profiles = SpecialistProfiles(Self.shipped.all + [twin])
        #expect(profiles.profile(forSpecialist: "somebody", kind: .network) == nil)
        #expect(profiles.profile(forSpecialist: "network-edge", kind: .network)?.name == "network-edge")
    }

    @Test func aMissingOrEmptyDirectoryIsAClearError() {
        #expect(throws: ProfileDirectoryError.self) { try SpecialistProfiles.load(directory: "/nonexistent/profiles") }
        #expect(throws: ProfileDirectoryError.self) { try SpecialistProfiles.load(directory: "Sources/TenderService/Execution") }
    }
}
