package vn.hotline.routing.calendar;

/** What a calendar entry does to a date. */
public enum DayKind {
    /** A public holiday of Labour Code 2019 Art. 112 (may fall on a weekend, then it changes nothing by itself). */
    HOLIDAY,
    /** A weekday off: a compensatory day or the day off of an announced swap. */
    DAY_OFF,
    /** A weekend day worked instead (make-up Saturday of an announced swap). */
    WORKING_DAY
}
