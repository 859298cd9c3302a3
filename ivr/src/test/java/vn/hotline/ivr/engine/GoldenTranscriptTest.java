package vn.hotline.ivr.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import vn.hotline.ivr.prompt.PromptCatalogs;
import vn.hotline.ivr.prompt.PromptRenderer;
import vn.hotline.ivr.triage.Channel;

/**
 * Replays every golden transcript under {@code src/test/resources/transcripts}: caller, inputs, expected commands
 * and results. The state goes through JSON before every step, as it does between gateway nodes.
 * {@code -Divr.golden.update=true} rewrites the expectations from what the engine does now; review the diff.
 */
class GoldenTranscriptTest {

    static final Path FOLDER = Path.of("src/test/resources/transcripts");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-02T01:30:00Z"), ZoneId.of("Asia/Ho_Chi_Minh"));
    static final IvrEngine ENGINE = IvrEngine.withDefaults(CLOCK);
    static final PromptRenderer RENDERER = new PromptRenderer(PromptCatalogs.load(PromptCatalogs.DEFAULT_FOLDER));

    static Stream<String> transcripts() throws IOException {
        try (Stream<Path> files = Files.list(FOLDER)) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".json")).sorted()
                    .toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transcripts")
    void engineFollowsTheGoldenTranscript(String name) throws IOException {
        Path file = FOLDER.resolve(name);
        String expected = Files.readString(file, StandardCharsets.UTF_8);
        JsonNode transcript = TranscriptFormat.JSON.readTree(expected);
        ObjectNode actual = replay(transcript);
        String actualText = TranscriptFormat.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(actual) + "\n";
        if (Boolean.getBoolean("ivr.golden.update")) {
            Files.writeString(file, actualText, StandardCharsets.UTF_8);
        } else {
            assertThat(actualText).isEqualTo(expected);
        }
    }

    private static ObjectNode replay(JsonNode transcript) {
        ObjectNode out = TranscriptFormat.JSON.createObjectNode();
        out.put("description", transcript.get("description").asString());
        out.set("caller", transcript.get("caller"));
        ArrayNode inputs = out.putArray("inputs");
        List<String> lines = new ArrayList<>();
        transcript.get("inputs").forEach(input -> lines.add(input.asString()));
        lines.forEach(inputs::add);

        CallerContext caller = TranscriptFormat.caller(transcript.get("caller"));
        ArrayNode steps = out.putArray("steps");
        Step step = ENGINE.start(caller);
        record(steps.addObject(), "start", step, caller.channel());
        for (String line : lines) {
            SessionState restored = SessionStateCodec.fromJson(SessionStateCodec.toJson(step.state()));
            assertThat(restored).isEqualTo(step.state());
            step = ENGINE.step(restored, TranscriptFormat.input(line));
            record(steps.addObject(), line, step, caller.channel());
        }
        out.put("endsIn", step.state().phase().name());
        return out;
    }

    private static void record(ObjectNode node, String input, Step step, Channel channel) {
        node.put("input", input);
        ArrayNode commands = node.putArray("commands");
        for (Command command : step.commands()) {
            commands.add(TranscriptFormat.command(command));
            if (command instanceof Command.Complete complete) {
                node.set("result", TranscriptFormat.result(complete.result()));
            }
        }
        String sms = RENDERER.smsMessage(step.commands());
        if (channel == Channel.SMS && !sms.isEmpty()) {
            node.put("sms", sms);
        }
    }
}
