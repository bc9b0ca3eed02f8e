/// `health.atom` as one of the outputs, written in the same set as the rest (and only when its bytes change).
struct HealthOutput: Output {
    func render(_ context: PublishContext) throws {
        guard let health = context.health else { return }
        try context.write(HealthFeed.render(health.problems, site: context.site, updated: health.updated), HealthFeed.path)
    }
}
