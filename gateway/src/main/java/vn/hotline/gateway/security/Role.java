package vn.hotline.gateway.security;

/** Staff roles. An OFFICER is scoped to the service areas their officer record covers. */
public enum Role {
    OFFICER,
    SUPERVISOR,
    ADMIN
}
