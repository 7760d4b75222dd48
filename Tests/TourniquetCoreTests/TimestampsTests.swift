import Foundation
import XCTest

@testable import TourniquetModel

final class TimestampsTests: XCTestCase {
    // MARK: CLF

    func testCLFApacheDocumentationExampleConvertsOffsetToUTC() {
        let t = Timestamps.parseCLF("10/Oct/2000:13:55:36 -0700")
        XCTAssertEqual(t?.ms, 971_211_336_000)  // 2000-10-10T20:55:36Z
        XCTAssertEqual(t?.offset, -420)
    }

    func testCLFPositiveHalfHourOffsetAndLeapDay() {
        let t = Timestamps.parseCLF("29/Feb/2024:23:59:59 +0530")
        XCTAssertEqual(t?.ms, 1_709_231_399_000)
        XCTAssertEqual(t?.offset, 330)
    }

    func testCLFMonthNamesAreCaseInsensitiveAndAllTwelveKnown() {
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        for (i, name) in months.enumerated() {
            let expected = Timestamps.daysFromCivil(year: 2023, month: i + 1, day: 1) * 86_400_000
            XCTAssertEqual(Timestamps.parseCLF("01/\(name)/2023:00:00:00 +0000")?.ms, expected, name)
            XCTAssertEqual(Timestamps.parseCLF("01/\(name.uppercased())/2023:00:00:00 +0000")?.ms, expected, name)
        }
    }

    func testCLFRejectsImpossibleOrMalformedValues() {
        let bad = [
            "", "10/Oct/2000:13:55:36", "10/Oct/2000:13:55:36 -070", "10/Oct/2000:13:55:36 -07000",
            "32/Oct/2000:13:55:36 -0700", "00/Oct/2000:13:55:36 -0700", "31/Apr/2000:13:55:36 +0000",
            "29/Feb/2023:00:00:00 +0000", "29/Feb/1900:00:00:00 +0000", "10/Foo/2000:13:55:36 -0700",
            "10/Oct/2000:25:55:36 -0700", "10/Oct/2000:24:00:00 +0000", "10/Oct/2000:13:60:36 -0700",
            "10/Oct/2000:13:55:61 -0700", "10/Oct/2000:13:55:36 +2400", "10/Oct/2000:13:55:36 +0060",
            "10/Oct/2000:13:55:36 *0700", "1/Oct/2000:13:55:36 -0700 ", "10-Oct-2000:13:55:36 -0700",
            "1a/Oct/2000:13:55:36 -0700", "10/Oct/2000 13:55:36 -0700", "10/Oct/2000:13:55:36\t-0700",
        ]
        for text in bad { XCTAssertNil(Timestamps.parseCLF(text), text) }
        XCTAssertNotNil(Timestamps.parseCLF("29/Feb/2000:00:00:00 +0000"), "2000 is a leap year")
    }

    // MARK: RFC 3339

    func testRFC3339EnvoyExample() {
        let t = Timestamps.parseRFC3339("2016-04-15T20:17:00.310Z")
        XCTAssertEqual(t?.ms, 1_460_751_420_310)
        XCTAssertEqual(t?.offset, 0)
    }

    func testRFC3339OffsetsConvertExactlyToUTC() {
        XCTAssertEqual(Timestamps.parseRFC3339("2024-01-02T03:04:05.123456+02:00")?.ms, 1_704_157_445_123)
        XCTAssertEqual(Timestamps.parseRFC3339("2024-01-02T03:04:05.123456+02:00")?.offset, 120)
        XCTAssertEqual(Timestamps.parseRFC3339("2024-01-02T03:04:05.123+0200")?.ms, 1_704_157_445_123)
        XCTAssertEqual(Timestamps.parseRFC3339("1999-12-31T16:00:00-08:00")?.ms, 946_684_800_000)
        XCTAssertEqual(Timestamps.parseRFC3339("1999-12-31T16:00:00-08:00")?.offset, -480)
        XCTAssertEqual(Timestamps.parseRFC3339("2024-12-31T23:30:00-14:00")?.ms, 1_735_738_200_000)
        XCTAssertEqual(Timestamps.parseRFC3339("2024-02-29T23:59:59+05:30")?.ms, 1_709_231_399_000)
        XCTAssertEqual(Timestamps.parseRFC3339("1969-12-31T23:59:59.999Z")?.ms, -1)
    }

    func testRFC3339FractionsOfAnyLengthTruncateToMilliseconds() {
        let base: Int64 = 1_704_067_200_000
        XCTAssertEqual(Timestamps.parseRFC3339("2024-01-01T00:00:00Z")?.ms, base)
        XCTAssertEqual(Timestamps.parseRFC3339("2024-01-01T00:00:00.5Z")?.ms, base + 500)
        XCTAssertEqual(Timestamps.parseRFC3339("2024-01-01T00:00:00.05Z")?.ms, base + 50)
        XCTAssertEqual(Timestamps.parseRFC3339("2024-01-01T00:00:00.999999999Z")?.ms, base + 999)
        XCTAssertEqual(Timestamps.parseRFC3339("2024-01-01T00:00:00." + String(repeating: "7", count: 40) + "Z")?.ms, base + 777)
    }

    func testRFC3339AcceptsLowercaseSeparatorsSpaceAndLeapSecond() {
        XCTAssertEqual(Timestamps.parseRFC3339("2024-01-01t00:00:00z")?.ms, 1_704_067_200_000)
        XCTAssertEqual(Timestamps.parseRFC3339("2024-01-01 00:00:00Z")?.ms, 1_704_067_200_000)
        // 23:59:60 is the leap second; it is placed at the next second rather than rejected.
        XCTAssertEqual(Timestamps.parseRFC3339("2016-12-31T23:59:60Z")?.ms, 1_483_228_800_000)
    }

    func testRFC3339RejectsImpossibleOrMalformedValues() {
        let bad = [
            "", "2024", "2024-01-01", "2024-01-01T00:00:00", "2024-01-01T00:00:00.Z", "2024-01-01T00:00:00.123",
            "2024-13-01T00:00:00Z", "2024-00-01T00:00:00Z", "2024-02-30T00:00:00Z", "2023-02-29T00:00:00Z",
            "2024-04-31T00:00:00Z", "2024-01-32T00:00:00Z", "2024-01-01T25:00:00Z", "2024-01-01T24:00:00Z",
            "2024-01-01T00:60:00Z", "2024-01-01T00:00:61Z", "2024-01-01T00:00:00+24:00", "2024-01-01T00:00:00+02:60",
            "2024-01-01T00:00:00+02:0", "2024-01-01T00:00:00+2", "2024-01-01T00:00:00Zjunk", "2024-01-01T00:00:00Z ",
            "2024-01-01X00:00:00Z", "2024/01/01T00:00:00Z", "20a4-01-01T00:00:00Z", "2024-01-01T00:00:00+02:00:00",
            "-2024-01-01T00:00:00Z", "2024-01-01T00:00:00.1a2Z",
        ]
        for text in bad { XCTAssertNil(Timestamps.parseRFC3339(text), text) }
    }

    // MARK: Epoch numbers

    func testEpochMillisAndSeconds() {
        XCTAssertEqual(Timestamps.parseEpochMillis("1726783839538")?.ms, 1_726_783_839_538)
        XCTAssertEqual(Timestamps.parseEpochMillis("1726783839538.9")?.ms, 1_726_783_839_538)
        XCTAssertEqual(Timestamps.parseEpochMillis("-1000")?.ms, -1000)
        XCTAssertEqual(Timestamps.parseEpochSeconds("1527590590.528")?.ms, 1_527_590_590_528)
        XCTAssertEqual(Timestamps.parseEpochSeconds("1527590590.5289")?.ms, 1_527_590_590_528)
        XCTAssertEqual(Timestamps.parseEpochSeconds("1527590590.5")?.ms, 1_527_590_590_500)
        XCTAssertEqual(Timestamps.parseEpochSeconds("1527590590")?.ms, 1_527_590_590_000)
        XCTAssertEqual(Timestamps.parseEpochSeconds("0")?.offset, 0)
    }

    func testEpochRejectsGarbageAndOutOfRange() {
        for text in [
            "", "-", "12a", "1.", ".5", "1e5", "+5", " 5", "5 ", "1.2.3", "0x10",
            "99999999999999999999", "253402300800000", String(repeating: "9", count: 5000),
        ] {
            XCTAssertNil(Timestamps.parseEpochMillis(text), text)
        }
        XCTAssertNil(Timestamps.parseEpochSeconds("253402300800"), "year 10000")
        XCTAssertNil(Timestamps.parseEpochSeconds("9223372036854775807"), "would overflow when scaled")
    }

    func testEpochFromDoubles() {
        XCTAssertEqual(Timestamps.epochMillis(fromMillis: 1.7267838395380e12)?.ms, 1_726_783_839_538)
        XCTAssertEqual(Timestamps.epochMillis(fromSeconds: 1_527_590_590)?.ms, 1_527_590_590_000)
        XCTAssertNil(Timestamps.epochMillis(fromMillis: .nan))
        XCTAssertNil(Timestamps.epochMillis(fromMillis: .infinity))
        XCTAssertNil(Timestamps.epochMillis(fromSeconds: 1e300))
    }

    // MARK: Formatting and calendar

    func testFormatRFC3339Millis() {
        XCTAssertEqual(Timestamps.formatRFC3339Millis(0), "1970-01-01T00:00:00.000Z")
        XCTAssertEqual(Timestamps.formatRFC3339Millis(-1), "1969-12-31T23:59:59.999Z")
        XCTAssertEqual(Timestamps.formatRFC3339Millis(1_704_157_445_123), "2024-01-02T01:04:05.123Z")
        XCTAssertEqual(Timestamps.formatRFC3339Millis(1_709_164_800_007), "2024-02-29T00:00:00.007Z")
        XCTAssertEqual(Timestamps.formatRFC3339Millis(253_402_300_799_999), "9999-12-31T23:59:59.999Z")
        XCTAssertEqual(Timestamps.formatRFC3339Millis(-62_167_219_200_000), "0000-01-01T00:00:00.000Z")
    }

    func testFormatThenParseRoundTrips() {
        var rng = IngestTestRNG(seed: 42)
        for _ in 0..<20_000 {
            let ms = Int64.random(in: Timestamps.validMillisRange, using: &rng)
            XCTAssertEqual(Timestamps.parseRFC3339(Timestamps.formatRFC3339Millis(ms))?.ms, ms)
        }
    }

    func testCivilCalendarMatchesFoundation() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        // 1583 onwards: Foundation's Gregorian calendar switches to Julian before the reform.
        var day = Timestamps.daysFromCivil(year: 1583, month: 1, day: 1)
        let last = Timestamps.daysFromCivil(year: 9999, month: 12, day: 31)
        var checked = 0
        while day <= last {
            checked += 1
            let civil = Timestamps.civilFromDays(day)
            XCTAssertEqual(Timestamps.daysFromCivil(year: civil.year, month: civil.month, day: civil.day), day)
            let parts = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(day) * 86_400))
            XCTAssertEqual(parts.year.map(Int64.init), civil.year)
            XCTAssertEqual(parts.month, civil.month)
            XCTAssertEqual(parts.day, civil.day)
            day += 367
        }
        XCTAssertGreaterThan(checked, 8000)
    }

    func testRandomBytesNeverCrash() {
        var rng = IngestTestRNG(seed: 3)
        for _ in 0..<20_000 {
            let bytes = (0..<Int.random(in: 0...40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            bytes.withUnsafeBufferPointer { b in
                _ = Timestamps.parseCLF(b)
                _ = Timestamps.parseRFC3339(b)
                _ = Timestamps.parseEpochMillis(b)
                _ = Timestamps.parseEpochSeconds(b)
            }
        }
    }
}
