package vn.hotline.ivr.engine;

/** The GSM 03.38 basic character set, for checking that an SMS fits 160 characters per segment. */
final class Gsm7 {

    private static final String BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    private Gsm7() {
    }

    static boolean isBasic(String text) {
        return text.chars().allMatch(c -> BASIC.indexOf(c) >= 0);
    }
}
