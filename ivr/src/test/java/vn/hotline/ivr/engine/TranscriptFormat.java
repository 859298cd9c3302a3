package vn.hotline.ivr.engine;

import java.time.Instant;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import vn.hotline.ivr.triage.Channel;
import vn.hotline.ivr.triage.Language;
import vn.hotline.ivr.triage.LocationHint;
import vn.hotline.ivr.triage.TriageResult;

/** Reads callers and inputs from golden transcripts and writes commands and results in their readable form. */
final class TranscriptFormat {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private TranscriptFormat() {
    }

    static CallerContext caller(JsonNode caller) {
        return new CallerContext(
                Channel.valueOf(caller.get("channel").asString()),
                caller.get("callerId").asString(),
                caller.get("dialledNumber").asString(),
                caller.hasNonNull("language") ? Language.fromTag(caller.get("language").asString()) : null,
                Instant.parse(caller.get("receivedAt").asString()),
                caller.hasNonNull("firstText") ? caller.get("firstText").asString() : null);
    }

    /** {@code digits 3}, {@code text ...}, {@code timeout}, {@code hangup}, {@code case-opened BD-2026-000123}. */
    static Input input(String line) {
        int space = line.indexOf(' ');
        String verb = space < 0 ? line : line.substring(0, space);
        String argument = space < 0 ? "" : line.substring(space + 1);
        return switch (verb) {
            case "digits" -> new Input.Digits(argument);
            case "text" -> new Input.Text(argument);
            case "timeout" -> Input.TIMEOUT;
            case "hangup" -> Input.HUNG_UP;
            case "case-opened" -> new Input.CaseOpened(argument);
            default -> throw new IllegalArgumentException("unknown transcript input: " + line);
        };
    }

    static String command(Command command) {
        if (command instanceof Command.PlayPrompt play) {
            String params = play.params().entrySet().stream()
                    .map(e -> " " + e.getKey() + "=" + e.getValue())
                    .sorted()
                    .collect(Collectors.joining());
            return "play " + play.key() + " [" + play.language().tag() + "]" + params;
        }
        if (command instanceof Command.Gather gather) {
            return "gather " + gather.mode() + " max=" + gather.maxLength() + " timeout=" + gather.timeoutSeconds()
                    + "s" + (gather.terminator().isEmpty() ? "" : " end=" + gather.terminator());
        }
        if (command instanceof Command.Transfer transfer) {
            return "transfer " + transfer.target() + " " + transfer.urgency();
        }
        if (command instanceof Command.RecordMessage record) {
            return "record max=" + record.maxSeconds() + "s end=" + record.terminator();
        }
        if (command instanceof Command.Complete) {
            return "complete";
        }
        if (command instanceof Command.AwaitCaseReference) {
            return "await-case-reference";
        }
        if (command instanceof Command.TextReference text) {
            return "text-reference [" + text.language().tag() + "]";
        }
        return "hangup";
    }

    static ObjectNode result(TriageResult result) {
        ObjectNode node = JSON.createObjectNode();
        node.put("channel", result.channel().name());
        node.put("language", result.language().tag());
        node.put("urgency", result.urgency().name());
        node.put("category", result.category().name());
        node.put("reporterRole", result.reporterRole().name());
        node.put("ageBand", result.ageBand().code());
        node.put("locationHint", location(result.locationHint()));
        ObjectNode consents = node.putObject("consents");
        putNullable(consents, "contactSchool", result.consents().contactSchool());
        putNullable(consents, "shareWithPolice", result.consents().shareWithPolice());
        putNullable(consents, "callBackSafe", result.consents().callBackSafe());
        node.put("abandonedAt", result.abandonedAt().orElse(null));
        ArrayNode path = node.putArray("path");
        result.path().forEach(path::add);
        node.put("opensCase", result.opensCase());
        return node;
    }

    private static String location(LocationHint hint) {
        if (hint instanceof LocationHint.FormerDistrict district) {
            return "former district " + district.code();
        }
        if (hint instanceof LocationHint.FreeText text) {
            return "free text: " + text.text();
        }
        if (hint instanceof LocationHint.Commune commune) {
            return "commune " + commune.code();
        }
        return "none";
    }

    private static void putNullable(ObjectNode node, String field, Boolean value) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }
}
