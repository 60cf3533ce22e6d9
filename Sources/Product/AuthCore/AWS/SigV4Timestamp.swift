/// A signing time in the two forms Signature Version 4 uses: `20150830T123600Z` (`X-Amz-Date`)
/// and `20150830` (the credential scope). UTC, whole seconds; computed from the epoch without a
/// calendar library (days-from-civil inverse, proleptic Gregorian).
public struct SigV4Timestamp: Sendable, Equatable {
    public let amzDate: String
    public var dateStamp: Substring { amzDate.prefix(8) }

    public init(epochSeconds: Int64) {
        let days = epochSeconds >= 0 ? epochSeconds / 86_400 : (epochSeconds - 86_399) / 86_400
        let secondsOfDay = epochSeconds - days * 86_400
        let (year, month, day) = Self.civil(fromDays: days)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        var year4 = "\(year)"
        while year4.utf8.count < 4 { year4 = "0" + year4 }
        amzDate = year4 + two(month) + two(day) + "T" + two(secondsOfDay / 3600) + two(secondsOfDay / 60 % 60)
            + two(secondsOfDay % 60) + "Z"
    }

    /// Year, month (1-12) and day (1-31) of a day count since 1970-01-01 (H. Hinnant's algorithm).
    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
