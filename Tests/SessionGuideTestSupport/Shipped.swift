import Foundation
import SessionGuideContent

/// The content that ships in the package's Content folder, loaded once, for every test target.
public enum Shipped {
    public static let contentFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Content").path

    private static let loaded = Result { try ContentLoader.load([contentFolder]) }

    public struct Missing: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    public static func library() throws -> ContentLibrary { try loaded.get() }

    public static func document(_ id: String) throws -> Document {
        guard let document = try library().document(id: id) else { throw Missing(description: "no document '\(id)'") }
        return document
    }

    /// The clinic's Treatment 8.
    public static func treatment() throws -> Session {
        guard case .session(let session) = try document("treatment-08") else {
            throw Missing(description: "treatment-08 is not a session")
        }
        return session
    }

    public static func routine(_ id: String = "daily-hip-back") throws -> Routine {
        guard case .routine(let routine) = try document(id) else { throw Missing(description: "\(id) is not a routine") }
        return routine
    }
}
