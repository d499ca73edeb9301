package jp.tsunagi.gateway.intake;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import jp.tsunagi.schema.signature.JsonSignatures;
import jp.tsunagi.schema.signature.KeyResolver;
import jp.tsunagi.schema.signature.SigningKey;
import jp.tsunagi.schema.validation.MessageRejectedException;
import jp.tsunagi.schema.validation.ProblemCode;

/**
 * How an agency proves who asks for a referral's status without mutual TLS: {@code Tsunagi <epochSeconds>.<jws>},
 * the JWS detached over {@code referral:<referralId>:<epochSeconds>} and signed with a registered key. Bound to one
 * referral and a few minutes, so a captured token opens nothing else and soon nothing at all.
 */
public final class ReferralQueryToken {
    private static final String SCHEME = "Tsunagi ";

    private ReferralQueryToken() {
    }

    public static String create(SigningKey key, String referralId, Instant now) {
        long seconds = now.getEpochSecond();
        return SCHEME + seconds + "." + JsonSignatures.detachedJws(payload(referralId, seconds), key);
    }

    /** The agency id of the caller, or a {@link MessageRejectedException} when the token does not prove one. */
    public static String verify(String authorization, String referralId, KeyResolver keys, Instant now, Duration lifetime) {
        if (authorization == null || !authorization.startsWith(SCHEME)) {
            throw new MessageRejectedException(ProblemCode.SIGNATURE_MISSING, "no Tsunagi authorization");
        }
        String token = authorization.substring(SCHEME.length()).trim();
        int dot = token.indexOf('.');
        long seconds;
        try {
            seconds = Long.parseLong(token.substring(0, Math.max(dot, 0)));
        } catch (NumberFormatException e) {
            throw new MessageRejectedException(ProblemCode.SIGNATURE_MALFORMED, "no time in the token");
        }
        if (Duration.between(Instant.ofEpochSecond(seconds), now).abs().compareTo(lifetime) > 0) {
            throw new MessageRejectedException(ProblemCode.SIGNATURE_INVALID, "the token has expired");
        }
        return JsonSignatures.verifyDetached(token.substring(dot + 1), payload(referralId, seconds), keys).agencyId();
    }

    private static byte[] payload(String referralId, long seconds) {
        return ("referral:" + referralId + ":" + seconds).getBytes(StandardCharsets.UTF_8);
    }
}
