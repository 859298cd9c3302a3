package vn.hotline.routing.calendar;

/** How far a calendar entry or year is backed by a source we could read. */
public enum SourceStatus {
    /** Backed by the statute or a reported government decision named in the {@code source} column. */
    CONFIRMED,
    /** Believed right, but the deciding document was not found; the {@code source} column says what is missing. */
    UNCONFIRMED,
    /** A forecast for a year whose schedule has not been decreed; deadlines that touch it are provisional. */
    PROVISIONAL
}
