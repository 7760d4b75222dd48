/// ASCII letters and digits, the characters every gateway's names and ids are safe in.
public enum CharacterClass {
    public static func alnum(_ s: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s)
    }
}

/// Text placed in URLs and forms sent to gateways.
public enum URLText {
    /// RFC 3986: every byte but the unreserved characters (letters, digits, `-._~`) as `%XX`, so
    /// the result is one path segment, one query value or one form field whatever it held.
    public static func percentEncoded(_ text: String) -> String {
        let digits = Array("0123456789ABCDEF")
        var out = ""
        for byte in text.utf8 {
            let c = Unicode.Scalar(byte)
            if CharacterClass.alnum(c) || "-._~".unicodeScalars.contains(c) {
                out.unicodeScalars.append(c)
            } else {
                out += "%" + String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
            }
        }
        return out
    }
}
