package vn.hotline.routing.jurisdiction;

/** The administrative level of a unit; districts exist only before 2025-07-01. */
public enum UnitLevel {
    PROVINCE,
    DISTRICT,
    COMMUNE
}
