/// The outcome of writing a user's "revoked before T" mark. Both are durable: the store holds a
/// mark at T or later when `markRevoked` returns.
public enum RevocationMark: Sendable, Equatable {
    /// This call stored T (the first mark, or a later one than the stored one).
    case written
    /// A mark at T or later was already stored; nothing changed (a repeated logout, a replayed
    /// event, or a newer sign-out that got there first).
    case alreadyCovered
}
