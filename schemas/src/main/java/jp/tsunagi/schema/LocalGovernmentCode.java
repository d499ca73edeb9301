package jp.tsunagi.schema;

/**
 * 全国地方公共団体コード: 2 digits of prefecture, 3 of municipality and a check digit (weights 6,5,4,3,2,
 * modulus 11, the last digit of 11 minus the remainder).
 */
public final class LocalGovernmentCode {
    private LocalGovernmentCode() {
    }

    public static boolean isValid(String code) {
        if (code == null || !code.matches("[0-9]{6}")) {
            return false;
        }
        int prefecture = Integer.parseInt(code.substring(0, 2));
        return prefecture >= 1 && prefecture <= 47 && code.charAt(5) - '0' == checkDigit(code.substring(0, 5));
    }

    /** The check digit of a 5-digit code. */
    public static int checkDigit(String fiveDigits) {
        if (fiveDigits == null || !fiveDigits.matches("[0-9]{5}")) {
            throw new IllegalArgumentException("a local government code has 5 digits before its check digit");
        }
        int sum = 0;
        for (int i = 0; i < 5; i++) {
            sum += (fiveDigits.charAt(i) - '0') * (6 - i);
        }
        return (11 - sum % 11) % 10;
    }
}
