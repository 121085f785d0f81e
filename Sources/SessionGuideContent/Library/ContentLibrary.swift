/// A drill as one use of it runs: the drill and its timing after the use's overrides.
public struct ResolvedDrill: Hashable, Sendable, Codable {
    public var drill: Drill
    public var timing: DrillTiming
    public var reference: DrillReference
}

/// Every document of a content folder, checked against each other: ids are unique and every drill reference
/// names a drill that exists. Pure: files come in already read.
public struct ContentLibrary: Sendable {
    public private(set) var files: [ParsedFile]
    /// Documents that have no errors, by id.
    public private(set) var documentsByID: [String: Document] = [:]

    /// - Parameters:
    ///   - files: the files to check and serve.
    ///   - context: other files whose drills may be referenced (the rest of the content folder when only some
    ///     files are checked); they are never reported on and never clash with `files`.
    public init(files: [ParsedFile], context: [ParsedFile] = []) {
        self.files = files.sorted { $0.path < $1.path }
        checkDuplicateIDs()
        checkDrillReferences(context: context)
        for file in self.files where !file.hasErrors {
            if let document = file.document { documentsByID[document.id] = document }
        }
    }

    /// Documents without errors, sorted by kind (sessions first) and then id.
    public var documents: [Document] {
        let order = Dictionary(uniqueKeysWithValues: DocumentKind.allCases.enumerated().map { ($1, $0) })
        return documentsByID.values.sorted { (order[$0.kind]!, $0.id) < (order[$1.kind]!, $1.id) }
    }

    public var diagnostics: [Diagnostic] { files.flatMap(\.diagnostics) }
    public var errorCount: Int { diagnostics.filter { $0.severity == .error }.count }
    public var warningCount: Int { diagnostics.filter { $0.severity == .warning }.count }

    public func document(id: String) -> Document? { documentsByID[id] }

    mutating func mapDocuments(_ transform: (Document) -> Document) {
        documentsByID = documentsByID.mapValues(transform)
    }

    public func drill(id: String) -> Drill? {
        if case .drill(let drill)? = documentsByID[id] { return drill }
        return nil
    }

    public func resolve(_ reference: DrillReference) -> ResolvedDrill? {
        guard var drill = drill(id: reference.drillID) else { return nil }
        // A prescribed easier or harder version is the drill with that version's steps, and says so in its title.
        if let steps = reference.version.steps(of: drill) {
            drill.steps = steps
            drill.title += " (\(reference.version.rawValue))"
        }
        return ResolvedDrill(drill: drill, timing: drill.timing.applying(reference.override), reference: reference)
    }

    /// The file that declares `id`, even if it has errors.
    public func file(declaring id: String) -> ParsedFile? {
        files.first { $0.declaredID == id }
    }

    /// Every id declared in the folder, for "did you mean" hints.
    public var declaredIDs: [String] { files.compactMap(\.declaredID) }

    /// Seconds a routine takes: the get-ready countdown, every drill, and the rests between drills.
    public func totalSeconds(of routine: Routine) -> Int {
        let drills = routine.drills.compactMap(resolve).map(\.timing.totalSeconds).reduce(0, +)
        return routine.getReady + drills + max(0, routine.drills.count - 1) * routine.restBetween
    }

    // MARK: - Checks across files

    private mutating func checkDuplicateIDs() {
        var firstIndexByID: [String: Int] = [:]
        for index in files.indices {
            guard let id = files[index].declaredID, let location = files[index].idLocation else { continue }
            guard let firstIndex = firstIndexByID[id] else {
                firstIndexByID[id] = index
                continue
            }
            let firstLocation = files[firstIndex].idLocation ?? location
            files[index].diagnostics.append(.error(
                "duplicate id '\(id)'; it is already used by \(firstLocation)", at: location))
            if !files[firstIndex].diagnostics.contains(where: { $0.message.hasPrefix("duplicate id") }) {
                files[firstIndex].diagnostics.append(.error(
                    "duplicate id '\(id)'; it is used again by \(location)", at: firstLocation))
            }
        }
    }

    private mutating func checkDrillReferences(context: [ParsedFile]) {
        var drillFiles: [String: ParsedFile] = [:]
        let declaredHere = Set(files.compactMap(\.declaredID))
        let contextDrills = context.filter { $0.declaredID.map { !declaredHere.contains($0) } ?? false }
        for file in files + contextDrills where file.declaredKind == .drill {
            if let id = file.declaredID, drillFiles[id] == nil { drillFiles[id] = file }
        }
        let drillIDs = drillFiles.keys.sorted()
        let otherIDs = Set(files.filter { $0.declaredKind != .drill }.compactMap(\.declaredID))
        for index in files.indices {
            guard let document = files[index].document else { continue }
            for reference in document.drillReferences {
                let id = reference.drillID
                guard let drillFile = drillFiles[id] else {
                    let hint = Suggestion.hint(for: id, in: drillIDs)
                    let note = otherIDs.contains(id) && hint.isEmpty ? "; '\(id)' is not a drill" : hint
                    files[index].diagnostics.append(.error("unknown drill '\(id)'\(note)", at: reference.location))
                    continue
                }
                guard case .drill(let drill)? = drillFile.document, !drillFile.hasErrors else {
                    files[index].diagnostics.append(.error(
                        "drill '\(id)' can't be used until \(drillFile.path) is fixed", at: reference.location))
                    continue
                }
                let timing = drill.timing.applying(reference.override)
                if reference.override.tempo != nil, !timing.isReps {
                    files[index].diagnostics.append(.error(
                        "'tempo' goes with reps, but '\(id)' is timed here; give 'reps' too or leave out 'tempo'",
                        at: reference.location))
                }
            }
        }
    }
}
