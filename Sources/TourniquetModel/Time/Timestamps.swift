/// Allocation-free timestamp parsing and formatting for access-log formats.
///
/// Every parser takes raw bytes, trusts no length, and returns `nil` for anything that is not a
/// real calendar instant (month 13, 31 April, hour 24, an offset of 25 hours …). Results are
/// milliseconds since the Unix epoch in UTC plus the UTC offset the log wrote, in minutes.
/// Calendar arithmetic uses Howard Hinnant's days-from-civil algorithm, so it is exact for every
/// proleptic Gregorian date and needs no tables, locale or time-zone database.
public enum Timestamps {
    /// A parsed instant: epoch milliseconds (UTC) and the UTC offset the log wrote, in minutes.
    public typealias Instant = (ms: Int64, offset: Int16)

    /// The instants accepted from epoch numbers: years 0000 to 9999, like the textual forms.
    public static let validMillisRange: ClosedRange<Int64> = -62_167_219_200_000...253_402_300_799_999

    /// 1990-01-01T00:00:00Z: no HTTP access log is older.
    public static let earliestPlausibleMs: Int64 = 631_152_000_000
    /// How far past the ingest clock a line may be dated (clock skew between hosts, zones written wrong).
    public static let futureToleranceMs: Int64 = 86_400_000

    /// The instants a request line may carry when imported at `nowMs`: from 1990 to a day after now.
    /// Anything else is forged or broken, and importing it would stretch every time span to centuries.
    public static func plausibleRange(nowMs: Int64) -> ClosedRange<Int64> {
        earliestPlausibleMs...max(earliestPlausibleMs, nowMs + futureToleranceMs)
    }

    // MARK: - CLF

    /// Parses the Common Log Format time `10/Oct/2000:13:55:36 -0700` (also AWS `requestTime`).
    public static func parseCLF(_ b: UnsafeBufferPointer<UInt8>) -> Instant? {
        // Fixed layout: dd/Mon/yyyy:HH:MM:SS ±hhmm (26 bytes); anything else is not CLF.
        guard b.count == 26, b[2] == 0x2F, b[6] == 0x2F, b[11] == 0x3A, b[14] == 0x3A, b[17] == 0x3A,
            b[20] == 0x20,
            let day = digits(b, 0, 2), let month = monthNumber(b[3], b[4], b[5]),
            let year = digits(b, 7, 4), let hour = digits(b, 12, 2), let minute = digits(b, 15, 2),
            let second = digits(b, 18, 2),
            let offset = offsetMinutes(b, 21, colon: false)
        else { return nil }
        return instant(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second,
            millis: 0, offset: offset)
    }

    /// String convenience for ``parseCLF(_:)-(UnsafeBufferPointer<UInt8>)``.
    public static func parseCLF(_ text: String) -> Instant? {
        var text = text
        return text.withUTF8 { parseCLF($0) }
    }

    // MARK: - RFC 3339

    /// Parses RFC 3339 / ISO 8601 `2024-01-02T03:04:05.123456+02:00`, `…Z`, or `…+0200`.
    ///
    /// Fractional seconds may have any number of digits; they are truncated to milliseconds
    /// (rounding could carry into the next second and misorder events). An offset is required:
    /// a time without one is local to an unknown zone and cannot be placed exactly.
    public static func parseRFC3339(_ b: UnsafeBufferPointer<UInt8>) -> Instant? {
        guard b.count >= 20, b[4] == 0x2D, b[7] == 0x2D, b[13] == 0x3A, b[16] == 0x3A,
            b[10] == 0x54 || b[10] == 0x74 || b[10] == 0x20,
            let year = digits(b, 0, 4), let month = digits(b, 5, 2), let day = digits(b, 8, 2),
            let hour = digits(b, 11, 2), let minute = digits(b, 14, 2), let second = digits(b, 17, 2)
        else { return nil }
        var i = 19
        var millis = 0
        if b[i] == 0x2E {
            i += 1
            let fractionStart = i
            while i < b.count, isDigit(b[i]) {
                if i - fractionStart < 3 { millis = millis * 10 + Int(b[i] &- 0x30) }
                i += 1
            }
            let used = i - fractionStart
            guard used > 0 else { return nil }
            if used == 1 { millis *= 100 } else if used == 2 { millis *= 10 }
        }
        guard i < b.count else { return nil }
        let offset: Int
        switch b[i] {
        case 0x5A, 0x7A:  // Z z
            guard i + 1 == b.count else { return nil }
            offset = 0
        case 0x2B, 0x2D:
            let rest = b.count - i
            if rest == 6, let o = offsetMinutes(b, i, colon: true) {
                offset = o
            } else if rest == 5, let o = offsetMinutes(b, i, colon: false) {
                offset = o
            } else {
                return nil
            }
        default:
            return nil
        }
        return instant(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second,
            millis: millis, offset: offset)
    }

    /// String convenience for ``parseRFC3339(_:)-(UnsafeBufferPointer<UInt8>)``.
    public static func parseRFC3339(_ text: String) -> Instant? {
        var text = text
        return text.withUTF8 { parseRFC3339($0) }
    }

    // MARK: - Epoch numbers

    /// Parses decimal epoch milliseconds (`1726783839538`, `1726783839538.25`), offset 0.
    public static func parseEpochMillis(_ b: UnsafeBufferPointer<UInt8>) -> Instant? {
        guard let ms = decimal(b, scaleDigits: 0) else { return nil }
        return validMillisRange.contains(ms) ? (ms, 0) : nil
    }

    /// Parses decimal epoch seconds (`1527590590`, `1527590590.528`), offset 0.
    public static func parseEpochSeconds(_ b: UnsafeBufferPointer<UInt8>) -> Instant? {
        guard let ms = decimal(b, scaleDigits: 3) else { return nil }
        return validMillisRange.contains(ms) ? (ms, 0) : nil
    }

    /// String convenience for ``parseEpochMillis(_:)-(UnsafeBufferPointer<UInt8>)``.
    public static func parseEpochMillis(_ text: String) -> Instant? {
        var text = text
        return text.withUTF8 { parseEpochMillis($0) }
    }

    /// String convenience for ``parseEpochSeconds(_:)-(UnsafeBufferPointer<UInt8>)``.
    public static func parseEpochSeconds(_ text: String) -> Instant? {
        var text = text
        return text.withUTF8 { parseEpochSeconds($0) }
    }

    /// Epoch milliseconds from a JSON number value (for exponent forms such as `1.726783839538e12`).
    public static func epochMillis(fromMillis value: Double) -> Instant? {
        guard value.isFinite, value >= Double(validMillisRange.lowerBound),
            value <= Double(validMillisRange.upperBound)
        else { return nil }
        return (Int64(value.rounded(.down)), 0)
    }

    /// Epoch milliseconds from a JSON number of seconds.
    public static func epochMillis(fromSeconds value: Double) -> Instant? {
        guard value.isFinite else { return nil }
        return epochMillis(fromMillis: value * 1000)
    }

    // MARK: - Formatting

    /// Formats epoch milliseconds as `2024-01-02T03:04:05.123Z` (UTC, three fraction digits).
    public static func formatRFC3339Millis(_ ms: Int64) -> String {
        // Floor division so instants before 1970 land on the right day and second.
        let msPerDay: Int64 = 86_400_000
        var days = ms / msPerDay
        var msOfDay = ms % msPerDay
        if msOfDay < 0 {
            msOfDay += msPerDay
            days -= 1
        }
        let (year, month, day) = civilFromDays(days)
        let secOfDay = Int(msOfDay / 1000)
        var out = [UInt8]()
        out.reserveCapacity(26)
        var y = year
        if y < 0 {
            out.append(0x2D)
            y = -y
        }
        if y >= 10_000 { out.append(contentsOf: String(y).utf8) } else { appendDigits(&out, Int(y), 4) }
        out.append(0x2D)
        appendDigits(&out, month, 2)
        out.append(0x2D)
        appendDigits(&out, day, 2)
        out.append(0x54)
        appendDigits(&out, secOfDay / 3600, 2)
        out.append(0x3A)
        appendDigits(&out, secOfDay / 60 % 60, 2)
        out.append(0x3A)
        appendDigits(&out, secOfDay % 60, 2)
        out.append(0x2E)
        appendDigits(&out, Int(msOfDay % 1000), 3)
        out.append(0x5A)
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - Calendar

    /// Days since 1970-01-01 for a proleptic Gregorian date (Hinnant's `days_from_civil`).
    public static func daysFromCivil(year: Int64, month: Int, day: Int) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01 (Hinnant's `civil_from_days`).
    public static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = Int(doy - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Days in a month, honouring Gregorian leap years.
    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // MARK: - Helpers

    /// Validates the fields and combines them; second 60 is accepted as RFC 3339 allows leap seconds.
    private static func instant(
        year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int,
        millis: Int, offset: Int
    ) -> Instant? {
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month),
            hour <= 23, minute <= 59, second <= 60
        else { return nil }
        let days = daysFromCivil(year: Int64(year), month: month, day: day)
        let localSeconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        let ms = (localSeconds - Int64(offset) * 60) * 1000 + Int64(millis)
        return (ms, Int16(offset))
    }

    /// `±hhmm` or `±hh:mm` at `at`, as signed minutes; hours up to 23 and minutes up to 59.
    private static func offsetMinutes(_ b: UnsafeBufferPointer<UInt8>, _ at: Int, colon: Bool) -> Int? {
        guard at + (colon ? 6 : 5) <= b.count else { return nil }
        let sign: Int
        switch b[at] {
        case 0x2B: sign = 1
        case 0x2D: sign = -1
        default: return nil
        }
        if colon { guard b[at + 3] == 0x3A else { return nil } }
        guard let hours = digits(b, at + 1, 2), let minutes = digits(b, at + (colon ? 4 : 3), 2),
            hours <= 23, minutes <= 59
        else { return nil }
        return sign * (hours * 60 + minutes)
    }

    /// Case-insensitive English three-letter month abbreviation, as nginx and Apache write it.
    private static func monthNumber(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Int? {
        // Pack the lower-cased letters into one integer and compare against the twelve names.
        let key = (UInt32(a | 0x20) << 16) | (UInt32(b | 0x20) << 8) | UInt32(c | 0x20)
        switch key {
        case 0x6A616E: return 1  // jan
        case 0x666562: return 2  // feb
        case 0x6D6172: return 3  // mar
        case 0x617072: return 4  // apr
        case 0x6D6179: return 5  // may
        case 0x6A756E: return 6  // jun
        case 0x6A756C: return 7  // jul
        case 0x617567: return 8  // aug
        case 0x736570: return 9  // sep
        case 0x6F6374: return 10  // oct
        case 0x6E6F76: return 11  // nov
        case 0x646563: return 12  // dec
        default: return nil
        }
    }

    @inlinable public static func isDigit(_ c: UInt8) -> Bool { c &- 0x30 < 10 }

    /// Exactly `count` ASCII digits at `at`, bounds-checked.
    @inline(__always)
    private static func digits(_ b: UnsafeBufferPointer<UInt8>, _ at: Int, _ count: Int) -> Int? {
        guard at >= 0, at + count <= b.count else { return nil }
        var value = 0
        for i in at..<(at + count) {
            let d = b[i] &- 0x30
            guard d < 10 else { return nil }
            value = value * 10 + Int(d)
        }
        return value
    }

    /// `-?digits(.digits)?` scaled by 10^scaleDigits, truncating extra fraction digits.
    private static func decimal(_ b: UnsafeBufferPointer<UInt8>, scaleDigits: Int) -> Int64? {
        var i = 0
        let negative = b.count > 0 && b[0] == 0x2D
        if negative { i = 1 }
        let intStart = i
        var value: Int64 = 0
        while i < b.count, isDigit(b[i]) {
            // 16 integer digits already exceed every valid instant; stop before Int64 can overflow.
            guard i - intStart < 16 else { return nil }
            value = value * 10 + Int64(b[i] &- 0x30)
            i += 1
        }
        guard i > intStart else { return nil }
        var fraction: Int64 = 0
        var fractionDigits = 0
        if i < b.count, b[i] == 0x2E {
            i += 1
            let fractionStart = i
            while i < b.count, isDigit(b[i]) {
                if fractionDigits < scaleDigits {
                    fraction = fraction * 10 + Int64(b[i] &- 0x30)
                    fractionDigits += 1
                }
                i += 1
            }
            guard i > fractionStart else { return nil }
        }
        guard i == b.count else { return nil }
        while fractionDigits < scaleDigits {
            fraction *= 10
            fractionDigits += 1
        }
        var scale: Int64 = 1
        for _ in 0..<scaleDigits { scale *= 10 }
        let magnitude = value * scale + fraction
        // Instants before 1970 are rare in access logs; extra fraction digits truncate toward zero.
        return negative ? -magnitude : magnitude
    }

    private static func appendDigits(_ out: inout [UInt8], _ value: Int, _ width: Int) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var v = value
        while divisor > 0 {
            out.append(UInt8(truncatingIfNeeded: 0x30 + (v / divisor) % 10))
            v %= divisor
            divisor /= 10
        }
    }
}
