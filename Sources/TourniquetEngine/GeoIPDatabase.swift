import CMaxMindDB
import Foundation
import TourniquetModel

/// A MaxMind GeoLite2/GeoIP2 database (libmaxminddb), for the geo-anomaly detector.
public final class GeoIPDatabase {
    private var mmdb = MMDB_s()

    public init(path: String) throws {
        let status = MMDB_open(path, UInt32(MMDB_MODE_MMAP), &mmdb)
        guard status == MMDB_SUCCESS else {
            throw RefusedGeoDatabase(path: path, reason: String(cString: MMDB_strerror(status)))
        }
    }

    deinit { MMDB_close(&mmdb) }

    /// The ISO country code of an address, or nil when the database does not know it.
    public func country(of address: String) -> String? {
        var gaiError: Int32 = 0
        var mmdbError: Int32 = 0
        var result = MMDB_lookup_string(&mmdb, address, &gaiError, &mmdbError)
        guard gaiError == 0, mmdbError == MMDB_SUCCESS, result.found_entry else { return nil }
        var buffer = [CChar](repeating: 0, count: 16)
        guard tq_mmdb_country(&result, &buffer, buffer.count) == 1 else { return nil }
        return String(cString: buffer)
    }
}

public struct RefusedGeoDatabase: ResponderFacingError {
    public var path: String
    public var reason: String
    public var exitCode: Int32 { 1 }
    public var description: String { "\(DisplayText.escaped(path)): not a usable MaxMind database (\(DisplayText.escaped(reason)))" }
}
