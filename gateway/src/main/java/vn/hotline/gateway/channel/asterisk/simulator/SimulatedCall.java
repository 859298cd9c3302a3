package vn.hotline.gateway.channel.asterisk.simulator;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import vn.hotline.ivr.prompt.PromptCatalogs;
import vn.hotline.ivr.prompt.PromptRenderer;
import vn.hotline.ivr.triage.Language;

/**
 * Try the IVR without a PBX: places one simulated call on a running server's FastAGI port and shows the prompt texts
 * from the catalogs. Keys come from {@code --keys "2 2 20 1"} or, without it, from the keyboard.
 * {@code ops/asterisk/simulate-call --lang en --keys "1"}
 */
public final class SimulatedCall {

    private static final String USAGE = """
            Places a simulated call against a running hotline server over its FastAGI port (no PBX needed).
              ops/asterisk/simulate-call                              interactive: type keys, read the prompts
              ops/asterisk/simulate-call --lang en --keys "4 3 31 1"  keys in order ("-" = silence); hangs up after the last
            Options: --host (127.0.0.1)  --port (4573)  --lang (vi|en)  --keys "k1 k2 ..."  --help""";

    private SimulatedCall() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of("--host", "127.0.0.1", "--port", "4573", "--lang", "vi"));
        for (int i = 0; i < args.length; i += 2) {
            if (!options.containsKey(args[i]) && !"--keys".equals(args[i]) || i + 1 == args.length) {
                // --help, a misspelt option or one without its value: say how, place no call.
                System.out.println(USAGE);
                System.exit("--help".equals(args[i]) || "-h".equals(args[i]) ? 0 : 2);
            }
            options.put(args[i], args[i + 1]);
        }
        Language language = "en".equals(options.get("--lang")) ? Language.EN : Language.VI;
        Map<String, String> texts = texts();
        Deque<String> keys = options.containsKey("--keys")
                ? new ArrayDeque<>(Arrays.asList(options.get("--keys").trim().split(" +"))) : null;
        BufferedReader keyboard = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        StringBuilder spelled = new StringBuilder();
        // The reference prompt is its own file, then one file per letter: shown as one line once the letters are in.
        String[] readingOut = {null};
        Runnable showReference = () -> {
            if (readingOut[0] != null) {
                System.out.println("IVR: " + readingOut[0].replace("{reference}", spelled));
                readingOut[0] = null;
            }
        };
        AgiSimulator.Caller caller = new AgiSimulator.Caller() {
            @Override
            public AgiSimulator.Action getData(String file, int maxDigits) {
                showReference.run();
                System.out.println("IVR: " + texts.getOrDefault(file, file));
                String answer;
                if (keys != null) {
                    answer = keys.isEmpty() ? null : keys.poll();
                    System.out.println("you press: " + (answer == null ? "(hang up)" : answer));
                } else {
                    System.out.print("keys (empty = silence, q = hang up)> ");
                    System.out.flush();
                    try {
                        answer = keyboard.readLine();
                    } catch (java.io.IOException e) {
                        answer = null;
                    }
                    answer = answer == null || answer.trim().equals("q") ? null : answer.trim();
                }
                return answer == null ? AgiSimulator.Action.hangUp() : AgiSimulator.Action.keys(answer.replace("-", ""));
            }

            @Override
            public AgiSimulator.Action stream(String file) {
                String text = texts.getOrDefault(file, file);
                if (file.contains("/char-")) {
                    spelled.append(file.endsWith("char-dash") ? "-" : file.substring(file.lastIndexOf('-') + 1).toUpperCase());
                } else if (text.contains("{reference}")) {
                    readingOut[0] = text;
                } else {
                    showReference.run();
                    System.out.println("IVR: " + text);
                }
                return AgiSimulator.Action.keys("");
            }
        };
        AgiSimulator asterisk = new AgiSimulator(options.get("--host"), Integer.parseInt(options.get("--port")),
                Duration.ofSeconds(120));
        String uniqueId = (System.currentTimeMillis() / 1000) + "." + (System.nanoTime() % 100000);
        AgiSimulator.Result result = asterisk.call(AgiSimulator.environment("ivr?flow=triage", uniqueId, "0905123456",
                language.tag()), caller);
        showReference.run();
        System.out.println();
        System.out.println("agi_uniqueid: " + uniqueId);
        if (spelled.length() > 0) {
            System.out.println("case reference read out: " + spelled);
        }
        Map<String, String> v = result.variables();
        if (v.containsKey("HOTLINE_RUNG_COUNT")) {
            System.out.println("transfer handed to the dialplan: case " + v.getOrDefault("HOTLINE_CASE", "(none)") + ", "
                    + v.get("HOTLINE_RUNG_COUNT") + " rungs");
            for (int i = 1; i <= Integer.parseInt(v.get("HOTLINE_RUNG_COUNT")); i++) {
                System.out.println("  rung " + i + ": " + v.get("HOTLINE_RUNG_" + i) + ", rings "
                        + v.get("HOTLINE_RUNG_" + i + "_TIMEOUT") + " s");
            }
        }
        System.out.println("HOTLINE_DONE=" + v.getOrDefault("HOTLINE_DONE", "") + " HOTLINE_FALLBACK="
                + v.getOrDefault("HOTLINE_FALLBACK", "") + (result.commands().isEmpty() ? " (connection refused: is this address in hotline.asterisk.allowed-clients?)" : ""));
    }

    /** Prompt text by audio file name, for both languages. */
    private static Map<String, String> texts() {
        PromptCatalogs catalogs = PromptCatalogs.load(PromptCatalogs.DEFAULT_FOLDER);
        Map<String, String> texts = new HashMap<>();
        for (Language language : Language.values()) {
            for (String key : catalogs.keys(PromptCatalogs.name(language, false))) {
                texts.put(PromptRenderer.audioFile(key, language), catalogs.text(key, language, false));
            }
        }
        return texts;
    }
}
