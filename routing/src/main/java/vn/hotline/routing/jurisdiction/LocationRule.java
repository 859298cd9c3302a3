package vn.hotline.routing.jurisdiction;

/** Which rule turned a location hint into units; a stable code for the log and the database. */
public enum LocationRule {
    /** The hinted commune code names a unit valid on the report date. */
    COMMUNE_VALID_ON_DATE,
    /** The hinted code named a unit of another era; its successor valid on the report date was taken. */
    SUCCESSOR_OF_HINTED_UNIT,
    /** A former district before 2025-07-01: the district itself is the unit. */
    FORMER_DISTRICT_UNIT,
    /** A former district from 2025-07-01: no single unit, only its service area. */
    FORMER_DISTRICT_AREA,
    /** The hinted code is not a unit known on the report date. */
    UNKNOWN_CODE,
    /** Free text is not resolved automatically; a human reads it. */
    FREE_TEXT,
    /** The caller gave no location. */
    NO_HINT
}
