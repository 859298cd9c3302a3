package vn.hotline.gateway.cases;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * A narrower queue, as the live board's cells link to it: one service area ({@code ""} for cases routing could not
 * place) and one of the board's columns.
 *
 * @param area the service area code, when narrowed to one
 * @param view the board column, when narrowed to one
 * @param atRiskBefore for {@link View#AT_RISK}: a statutory deadline due before this counts as at risk
 */
public record QueueFilter(Optional<String> area, Optional<View> view, Instant atRiskBefore) {

    /** The live board's columns. */
    public enum View {
        /** Every open case. */
        OPEN,
        /** Nobody has acknowledged yet. */
        WAITING,
        /** Moved up the ladder and still unacknowledged. */
        ESCALATED,
        /** A statutory deadline missed or due within the at-risk window. */
        AT_RISK;

        /** The view named in a link ({@code waiting}, {@code at-risk}), if any. */
        public static Optional<View> parse(String name) {
            if (name == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(valueOf(name.strip().toUpperCase(Locale.ROOT).replace('-', '_')));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }

        /** How a link names it. */
        public String linkName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** The whole queue. */
    public static QueueFilter none() {
        return new QueueFilter(Optional.empty(), Optional.empty(), Instant.EPOCH);
    }

    /** The query string that narrows a queue link the same way ({@code ?area=550&view=waiting}; {@code -}: unplaced). */
    public String query() {
        StringBuilder query = new StringBuilder();
        area.ifPresent(a -> query.append("&area=").append(a.isEmpty() ? "-" : URLEncoder.encode(a, StandardCharsets.UTF_8)));
        view.ifPresent(v -> query.append("&view=").append(v.linkName()));
        return query.isEmpty() ? "" : "?" + query.substring(1);
    }

    public boolean narrowed() {
        return area.isPresent() || view.filter(v -> v != View.OPEN).isPresent();
    }
}
