package jp.tsunagi.gateway.cli;

/** The exit codes of docs/contract.md section 2. */
final class ExitCodes {
    /** Done; for {@code verify}: the message is valid. */
    static final int OK = 0;
    /** {@code verify}: the message is not valid (signature or content). */
    static final int INVALID = 1;
    /** {@code referral show}: no such referral; {@code deadletter requeue|cancel}: refused (the code on standard error). */
    static final int REFUSED = 1;
    /** Bad input: usage, configuration, an unreadable or invalid input file. */
    static final int BAD_INPUT = 2;

    private ExitCodes() {
    }
}
