package vn.hotline.ivr.engine;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import vn.hotline.ivr.flow.Answers;
import vn.hotline.ivr.triage.Channel;
import vn.hotline.ivr.triage.Language;

/**
 * Everything the engine needs to take the next step of a contact: plain data that round-trips through JSON
 * (see {@link SessionStateCodec}), so any node can continue a call. Holds no caller number.
 *
 * @param node the current node id
 * @param receivedAt when the contact was received
 * @param updatedAt when the engine last took a step (from its clock)
 * @param noInputs timeouts on the current question
 * @param invalids answers not understood on the current question
 * @param validInputs answers accepted so far
 * @param path the nodes walked, in order
 * @param pathAt when each node of {@code path} was entered (engine clock), for the call's timeline; a state stored
 *               before this field existed reads as empty
 */
public record SessionState(
        String flowId,
        int flowVersion,
        String node,
        Phase phase,
        Channel channel,
        Language language,
        Instant receivedAt,
        Instant updatedAt,
        Answers answers,
        int noInputs,
        int invalids,
        int validInputs,
        List<String> path,
        List<Instant> pathAt) {

    public SessionState {
        Objects.requireNonNull(flowId, "flowId");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(answers, "answers");
        path = List.copyOf(path);
        pathAt = pathAt == null ? List.of() : List.copyOf(pathAt);
    }

    SessionState at(Instant now) {
        return new SessionState(flowId, flowVersion, node, phase, channel, language, receivedAt, now, answers,
                noInputs, invalids, validInputs, path, pathAt);
    }

    /** Enters a node: it joins the path and its retry counters start at zero. */
    SessionState visit(String nodeId) {
        String[] walked = path.toArray(new String[path.size() + 1]);
        walked[path.size()] = nodeId;
        // A session stored before node times existed has none for its earlier nodes: it goes on without times.
        List<Instant> times = List.of();
        if (pathAt.size() == path.size()) {
            Instant[] entered = pathAt.toArray(new Instant[pathAt.size() + 1]);
            entered[pathAt.size()] = updatedAt;
            times = List.of(entered);
        }
        return new SessionState(flowId, flowVersion, nodeId, phase, channel, language, receivedAt, updatedAt,
                answers, 0, 0, validInputs, List.of(walked), times);
    }

    SessionState answered(Answers newAnswers, Language newLanguage) {
        return new SessionState(flowId, flowVersion, node, phase, channel, newLanguage, receivedAt, updatedAt,
                newAnswers, noInputs, invalids, validInputs + 1, path, pathAt);
    }

    SessionState withAnswers(Answers newAnswers, Language newLanguage) {
        return new SessionState(flowId, flowVersion, node, phase, channel, newLanguage, receivedAt, updatedAt,
                newAnswers, noInputs, invalids, validInputs, path, pathAt);
    }

    SessionState failed(boolean noInput) {
        return new SessionState(flowId, flowVersion, node, phase, channel, language, receivedAt, updatedAt, answers,
                noInputs + (noInput ? 1 : 0), invalids + (noInput ? 0 : 1), validInputs, path, pathAt);
    }

    SessionState in(Phase newPhase) {
        return new SessionState(flowId, flowVersion, node, newPhase, channel, language, receivedAt, updatedAt,
                answers, noInputs, invalids, validInputs, path, pathAt);
    }
}
