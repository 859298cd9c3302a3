package vn.hotline.ivr.triage;

/** Who is reporting. */
public enum ReporterRole {
    CHILD,
    PARENT_RELATIVE,
    TEACHER,
    OTHER,
    UNKNOWN
}
