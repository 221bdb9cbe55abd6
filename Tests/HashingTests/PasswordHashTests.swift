import Hashing
import Testing

/// argon2id password hashes as staff accounts store them.
@Suite struct PasswordHashTests {
    @Test func theStoredFormIsArgon2idAndVerifiesOnlyTheRightPassword() {
        let stored = PasswordHash.hash("正确的密码 correct horse")
        #expect(stored.hasPrefix("$argon2id$"))
        #expect(PasswordHash.verify("正确的密码 correct horse", against: stored))
        #expect(!PasswordHash.verify("正确的密码 correct hors", against: stored))
        #expect(!PasswordHash.verify("", against: stored))
    }

    @Test func theSamePasswordGetsADifferentSaltEachTime() {
        #expect(PasswordHash.hash("same password") != PasswordHash.hash("same password"))
    }

    @Test func aMalformedStoredHashVerifiesNothing() {
        #expect(!PasswordHash.verify("anything", against: "not a hash"))
        #expect(!PasswordHash.verify("anything", against: PasswordHash.decoy))
    }
}
