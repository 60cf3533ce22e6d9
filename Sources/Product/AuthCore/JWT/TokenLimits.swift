/// Size limits every reader of a Cognito token shares.
public enum TokenLimits {
    /// The longest token read anywhere (the verifier, the bearer guard, the authorizer, the refresh
    /// cookie), in UTF-8 bytes of its compact form. Cognito access and id tokens are about 1 KiB,
    /// refresh tokens (JWEs) about 1.8 KiB; anything longer is refused before it is split,
    /// decoded or sent upstream, so an oversized header or cookie costs no work.
    public static let maximumLength = 8 * 1024
}
