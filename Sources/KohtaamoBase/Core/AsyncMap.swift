extension Optional {
    /// `map` with an async transform (a lookup in a repository for an optional id).
    package func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
