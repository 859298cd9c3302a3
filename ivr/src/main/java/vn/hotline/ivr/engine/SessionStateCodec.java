package vn.hotline.ivr.engine;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Writes a session state as JSON for storage between steps, and reads it back unchanged. */
public final class SessionStateCodec {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private SessionStateCodec() {
    }

    /** The state as a JSON document. */
    public static String toJson(SessionState state) {
        return JSON.writeValueAsString(state);
    }

    /** The state a JSON document from {@link #toJson(SessionState)} holds. */
    public static SessionState fromJson(String json) {
        return JSON.readValue(json, SessionState.class);
    }
}
