import SurveyCore
import Testing

/// What cleaning keeps and removes from citizens' text, and how its length is counted.
@Suite struct TextNormalizationTests {
    static let family = "👨\u{200D}👩\u{200D}👧"
    /// "I want" in Persian: the ZWNJ keeps می and خواهم apart without a space.
    static let persian = "می\u{200C}خواهم"
    static let scotland = "🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}"

    @Test(arguments: [
        // Joiners, marks and selectors that scripts and emoji need.
        family,
        persian,
        "क्\u{200D}ष",                 // Devanagari half form
        "\u{200F}سلام\u{200F}!",      // RLM keeps the "!" on the right side
        "a\u{200E}(b)",
        "☺\u{FE0F}",                  // emoji presentation
        "葛\u{E0100}",                 // an ideographic variant
        "👍\u{1F3FD}",                 // skin tone
        scotland,
        "ᠮᠣᠩᠭᠣᠯ\u{180E}ᠠ",            // Mongolian vowel separator
        "\u{0600}١٢",                  // Arabic number sign
        "第一行\n第二行",
        "很好👍",
    ])
    func whatAScriptOrEmojiNeedsIsKept(text: String) {
        #expect(TextNormalization.normalized(text) == text)
    }

    @Test(arguments: [
        // Bidirectional embeddings, overrides and isolates.
        ("abc\u{202E}fed\u{202C}", "abcfed"),
        ("\u{202A}a\u{202B}b\u{202D}c", "abc"),
        ("\u{2066}x\u{2067}y\u{2068}z\u{2069}", "xyz"),
        // Invisible characters that split or pad text.
        ("等候\u{200B}时间长", "等候时间长"),
        ("\u{FEFF}很好", "很好"),
        ("a\u{2060}b\u{2061}c\u{2062}d\u{2063}e\u{2064}f", "abcdef"),
        ("\u{206A}a\u{206F}", "a"),
        ("co\u{00AD}operate", "cooperate"),
        ("\u{3164}很好\u{FFA0}", "很好"),
        ("a\u{1D173}b\u{1BCA0}c", "abc"),
        ("a\u{FFF9}hidden\u{FFFA}note\u{FFFB}b", "ahiddennoteb"),
        // Tag characters outside an emoji tag sequence: hidden ASCII.
        ("ok\u{E0069}\u{E0067}\u{E006E}\u{E006F}\u{E0072}\u{E0065}", "ok"),
        ("ok\u{E0001}\u{E0068}\u{E0069}\u{E007F}", "ok"),
        ("1\u{E0067}\u{E0062}\u{E007F}", "1"),
        ("🏴\u{E0067}\u{E0062}", "🏴"),
        // Controls, private use and unassigned code points.
        ("a\u{0000}b\u{0007}c\u{001B}[31md\u{007F}e\u{0085}f", "abc[31mde\nf"),
        ("a\tb", "a b"),
        ("a\r\nb\rc\u{2028}d\u{2029}e", "a\nb\nc\nd\ne"),
        ("a\u{E000}b\u{F8FF}c\u{F0000}d", "abcd"),
        ("a\u{0378}b", "ab"),
        // NFC, trimming, and text with nothing visible left.
        ("e\u{0301}", "\u{00E9}"),
        ("  \n 很好 \u{3000}", "很好"),
        ("\u{200D}", ""),
        ("\u{200C} \u{200E}\u{FE0F}", ""),
        ("\u{202E}\u{200B}\u{FEFF}", ""),
    ])
    func whatIsInvisibleAndHarmfulIsRemoved(text: String, expected: String) {
        #expect(TextNormalization.normalized(text) == expected)
    }

    static let directory = Directory(
        departments: [Department(id: 1, code: "SCJG", name: "市场监管科")],
        windows: [ServiceWindow(id: 10, code: "W01", name: "1号窗口", departmentID: 1)],
        items: [], staff: []
    )

    static func validated(comment: String, limit: Int) throws(SubmissionError) -> ValidatedSubmission {
        let submission = Submission(
            windowCode: "W01", attitude: .number(5), efficiency: .number(5), result: .number(5),
            comment: comment, clientID: "client-0001"
        )
        return try submission.validated(in: directory, policy: SurveyPolicy(commentMaxLength: limit))
    }

    @Test func anEmojiFamilyIsOneCharacterAndStaysWhole() throws {
        let comment = try #require(try Self.validated(comment: Self.family, limit: 1).comment)
        #expect(comment == Self.family)
        #expect(comment.count == 1)
        #expect(comment.unicodeScalars.count == 5)
    }

    @Test func aPersianWordKeepsItsNonJoiner() throws {
        let comment = try Self.validated(comment: "خدمات خوب بود، \(Self.persian) تشکر کنم", limit: 500).comment
        #expect(comment?.contains("\u{200C}") == true)
        #expect(comment?.contains(Self.persian) == true)
    }

    @Test func aBidiOverrideIsStrippedBeforeStoring() throws {
        let comment = try Self.validated(comment: "满意\u{202E}意满不\u{202C}", limit: 500).comment
        #expect(comment == "满意意满不")
    }

    @Test func theLimitCountsCharactersAsAPersonSeesThem() throws {
        // 10 characters on screen, 50 scalars, 170 bytes.
        let text = String(repeating: Self.family, count: 10)
        #expect(text.unicodeScalars.count == 50)
        #expect(try Self.validated(comment: text, limit: 10).comment == text)
        #expect(throws: SubmissionError.commentTooLong(limit: 9)) { try Self.validated(comment: text, limit: 9) }
        // Combining accents count with their letter, once put together or not.
        let accents = String(repeating: "e\u{0301}\u{0323}", count: 4)
        #expect(try Self.validated(comment: accents, limit: 4).comment?.count == 4)
        #expect(throws: SubmissionError.commentTooLong(limit: 3)) { try Self.validated(comment: accents, limit: 3) }
    }

    @Test func removedCharactersDoNotCountTowardsTheLimit() throws {
        let padded = "很好" + String(repeating: "\u{200B}\u{202E}", count: 100)
        #expect(try Self.validated(comment: padded, limit: 2).comment == "很好")
    }

    @Test func reasonsThatLookTheSameAreOneReason() throws {
        var submission = Submission(
            windowCode: "W01", attitude: .number(1), efficiency: .number(5), result: .number(5),
            reasons: ["等候时间长", "等候\u{200B}时间长", "\u{FEFF}等候时间长\u{202C}", "\u{200D}"], clientID: "client-0001"
        )
        #expect(try submission.validated(in: Self.directory, policy: SurveyPolicy()).reasons == ["等候时间长"])
        submission.reasons = ["\u{200D}", "\u{2066}\u{2069}"]
        #expect(throws: SubmissionError.reasonRequired(.attitude, .veryDissatisfied)) { try submission.validated(in: Self.directory, policy: SurveyPolicy()) }
    }
}
