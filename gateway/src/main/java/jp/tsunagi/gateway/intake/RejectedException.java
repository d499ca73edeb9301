package jp.tsunagi.gateway.intake;

/** Stops the intake of one message; carries the answer, never message content. */
final class RejectedException extends RuntimeException {
    private final Rejection rejection;

    RejectedException(Rejection rejection) {
        super(rejection.code(), null, false, false);
        this.rejection = rejection;
    }

    RejectedException(int status, String code, String title) {
        this(Rejection.of(status, code, title));
    }

    Rejection rejection() {
        return rejection;
    }
}
