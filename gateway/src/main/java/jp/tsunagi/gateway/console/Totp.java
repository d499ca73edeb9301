package jp.tsunagi.gateway.console;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords (ワンタイムパスワード, RFC 6238): HMAC-SHA1, 30-second steps, 6 digits, as every
 * authenticator app understands; one step of clock drift either way is accepted. Secrets are Base32 (RFC 4648).
 */
public final class Totp {
    static final int STEP_SECONDS = 30;
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private Totp() {
    }

    /** A new random 160-bit secret in Base32. */
    public static String newSecret() {
        byte[] secret = new byte[20];
        new SecureRandom().nextBytes(secret);
        return base32(secret);
    }

    /** What an authenticator app scans (as a QR code) or takes typed in. */
    public static String uri(String account, String secret) {
        return "otpauth://totp/Tsunagi:" + account + "?secret=" + secret + "&issuer=Tsunagi&digits=6&period=" + STEP_SECONDS;
    }

    /** The step the code matches (within one step of now), or -1. */
    static long matchingStep(String secret, String code, Instant now) {
        if (code == null || !code.strip().matches("\\d{6}")) {
            return -1;
        }
        long step = now.getEpochSecond() / STEP_SECONDS;
        for (long s = step - 1; s <= step + 1; s++) {
            if (MessageDigest.isEqual(code(secret, s).getBytes(), code.strip().getBytes())) {
                return s;
            }
        }
        return -1;
    }

    /** The code of the step that contains {@code at}. */
    public static String codeAt(String secret, Instant at) {
        return code(secret, at.getEpochSecond() / STEP_SECONDS);
    }

    static String code(String secret, long step) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(unbase32(secret), "HmacSHA1"));
            byte[] h = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
            int offset = h[h.length - 1] & 0x0f;
            int binary = ((h[offset] & 0x7f) << 24) | ((h[offset + 1] & 0xff) << 16) | ((h[offset + 2] & 0xff) << 8)
                    | (h[offset + 3] & 0xff);
            return String.format(Locale.ROOT, "%06d", binary % 1_000_000);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is unavailable", e);
        }
    }

    static String base32(byte[] data) {
        StringBuilder out = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(BASE32.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(BASE32.charAt((buffer << (5 - bits)) & 31));
        }
        return out.toString();
    }

    static byte[] unbase32(String text) {
        String clean = text.replace("=", "").replace(" ", "").toUpperCase(Locale.ROOT);
        ByteBuffer out = ByteBuffer.allocate(clean.length() * 5 / 8);
        int buffer = 0;
        int bits = 0;
        for (char ch : clean.toCharArray()) {
            int value = BASE32.indexOf(ch);
            if (value < 0) {
                throw new IllegalArgumentException("a TOTP secret is Base32");
            }
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8) {
                out.put((byte) (buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        return out.array();
    }
}
