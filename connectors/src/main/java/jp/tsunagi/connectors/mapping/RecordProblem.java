package jp.tsunagi.connectors.mapping;

/**
 * Why one native record could not become a message (or a message a native record): a stable code and a reason
 * that names the field, never its value (values are personal data).
 *
 * <p>Codes: {@code mapping.required}, {@code mapping.invalid_value} (a converter refused it, e.g. not an era date),
 * {@code mapping.unknown_code} (not in the code table), {@code mapping.not_a_number}, {@code mapping.record_length},
 * {@code mapping.encoding} (bytes that are not the declared encoding, or a field cut inside a double-byte
 * character), {@code mapping.malformed} (a CSV record, XML or JSON document that cannot be read),
 * {@code mapping.no_match} (a record of none of the layouts, or not of its {@code fixed} value),
 * {@code mapping.header_mismatch} (a CSV header lacking a mapped column, or with {@code strict} having an unknown one:
 * the whole document is refused), {@code mapping.too_wide} (a value wider than its fixed-width field when writing).
 */
public record RecordProblem(String code, String reason) {
    @Override
    public String toString() {
        return code + ": " + reason;
    }
}
