package jp.tsunagi.connectors.mapping;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One native record read through a mapping: its number in the file (1-based, header line not counted; 0 for a
 * problem of the whole file), the SHA-256 of its raw bytes (what makes a re-delivered file recognisable), the mapping
 * whose layout it has (null if none has) and either the message fields or the problem.
 */
public record MappedRecord(int number, String rawSha256, Mapping mapping, ObjectNode message, RecordProblem problem) {
    public boolean ok() {
        return problem == null;
    }
}
