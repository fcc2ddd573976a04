extension CatalogDocument {
    /// The largest catalog document `catalog import` reads: a history of thousands of
    /// releases with inline manifests fits; a runaway file is refused before it is read.
    public static let maximumSize = 64 * 1_048_576
}
