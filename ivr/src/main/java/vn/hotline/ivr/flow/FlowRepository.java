package vn.hotline.ivr.flow;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The flows an engine serves, by id and version; keeps older versions so a call resumes on the version it started.
 */
public final class FlowRepository {

    /** The default hotline flow on the classpath: new contacts start on it. */
    public static final String DEFAULT_FLOW = "flows/hotline-default.v2.json";
    /** Earlier versions of the default flow, kept loaded so a stored session (an SMS conversation) resumes on its own. */
    public static final String[] EARLIER_DEFAULT_FLOWS = {"flows/hotline-default.v1.json"};

    private final Flow defaultFlow;
    private final Map<String, Map<Integer, Flow>> byIdAndVersion = new HashMap<>();

    private FlowRepository(Flow defaultFlow, List<Flow> flows) {
        this.defaultFlow = defaultFlow;
        for (Flow flow : flows) {
            Map<Integer, Flow> versions = byIdAndVersion.computeIfAbsent(flow.id(), id -> new HashMap<>());
            if (versions.put(flow.version(), flow) != null) {
                throw new FlowException(flow.source() + ": flow " + flow.id() + " version " + flow.version()
                        + " is loaded twice");
            }
        }
    }

    /** Loads and validates the default flow and any other versions a stored session may still name. */
    public static FlowRepository load(FlowLoader loader, String defaultResource, String... otherResources) {
        Flow defaultFlow = loader.load(defaultResource);
        List<Flow> flows = new ArrayList<>(List.of(defaultFlow));
        for (String resource : otherResources) {
            flows.add(loader.load(resource));
        }
        return new FlowRepository(defaultFlow, flows);
    }

    /** The flow new contacts start on. */
    public Flow defaultFlow() {
        return defaultFlow;
    }

    /** The flow a stored session names; {@link IllegalStateException} when that version is no longer loaded. */
    public Flow get(String id, int version) {
        Map<Integer, Flow> versions = byIdAndVersion.get(id);
        Flow flow = versions == null ? null : versions.get(version);
        if (flow == null) {
            throw new IllegalStateException("flow " + id + " version " + version + " is not loaded");
        }
        return flow;
    }
}
