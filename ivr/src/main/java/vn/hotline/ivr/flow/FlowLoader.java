package vn.hotline.ivr.flow;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;
import vn.hotline.ivr.prompt.PromptCatalogs;
import vn.hotline.ivr.text.TextNormalizer;
import vn.hotline.ivr.triage.Language;

/** Reads a flow file from the classpath, validates it against the prompt catalogs and compiles it to a graph. */
public final class FlowLoader {

    /** The flow file format this engine reads. */
    public static final int SPEC_VERSION = 1;

    /** Prompts the engine plays on its own when an answer is missing or not understood. */
    public static final String PROMPT_NO_INPUT = "common.no_input";
    public static final String PROMPT_INVALID = "common.invalid";

    private static final int DEFAULT_TIMEOUT_SECONDS = 6;
    private static final int DEFAULT_SMS_TIMEOUT_SECONDS = 1800;

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private final PromptCatalogs catalogs;

    public FlowLoader(PromptCatalogs catalogs) {
        this.catalogs = catalogs;
    }

    record FlowFile(Integer spec, String id, Integer version, String start, String human, Integer smsTimeoutSeconds,
            LinkedHashMap<String, NodeFile> nodes) {
    }

    record NodeFile(String type, String prompt, Integer digits, Integer timeoutSeconds, List<OptionFile> options,
            String freeTextNext, String next, String on, LinkedHashMap<String, String> cases, String otherwise,
            String target, String referencePrompt, List<String> closing, Integer maxSeconds, String textOffer,
            String textSent) {
    }

    record OptionFile(String key, List<String> words, LinkedHashMap<String, Object> set, String language,
            String next) {
    }

    /** Loads, validates and compiles one flow file; {@link FlowException} names the file and node at fault. */
    public Flow load(String resource) {
        FlowFile file = parse(resource);
        return new Compiler(resource, file).compile();
    }

    private static FlowFile parse(String resource) {
        try (InputStream in = FlowLoader.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new FlowException(resource + ": no such flow file on the classpath");
            }
            return JSON.readValue(in, FlowFile.class);
        } catch (JacksonException e) {
            throw new FlowException(resource + ": not a valid flow file: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new FlowException(resource + ": cannot be read", e);
        }
    }

    /** One compilation; keeps the file name at hand for every error. */
    private final class Compiler {
        private final String resource;
        private final FlowFile file;
        private final Map<String, List<String>> edges = new LinkedHashMap<>();

        Compiler(String resource, FlowFile file) {
            this.resource = resource;
            this.file = file;
        }

        Flow compile() {
            if (file.spec() == null || file.spec() != SPEC_VERSION) {
                throw fail("spec version " + file.spec() + " is not supported (this engine reads " + SPEC_VERSION
                        + ")");
            }
            require(file.id(), "id");
            require(file.version(), "version");
            require(file.start(), "start");
            require(file.human(), "human");
            if (file.nodes() == null || file.nodes().isEmpty()) {
                throw fail("no nodes");
            }
            for (String key : List.of(PROMPT_NO_INPUT, PROMPT_INVALID)) {
                checkPrompt("(engine)", key);
            }
            Map<String, Node> nodes = new HashMap<>();
            file.nodes().forEach((id, node) -> nodes.put(id, compileNode(id, node)));
            checkTarget("(flow)", "start", file.start());
            checkTarget("(flow)", "human", file.human());
            if (!(nodes.get(file.human()) instanceof Node.Transfer)) {
                throw fail("node '" + file.human() + "': the human node must be a transfer");
            }
            checkReachable();
            checkExits(nodes);
            checkQuestionlessCycles(nodes);
            int smsTimeout = file.smsTimeoutSeconds() == null ? DEFAULT_SMS_TIMEOUT_SECONDS : file.smsTimeoutSeconds();
            return new Flow(resource, file.id(), file.version(), file.start(), file.human(), smsTimeout, nodes);
        }

        private Node compileNode(String id, NodeFile node) {
            String type = require(node.type(), "nodes." + id + ".type");
            List<String> out = new ArrayList<>();
            edges.put(id, out);
            return switch (type) {
                case "menu" -> compileMenu(id, node, out);
                case "say" -> new Node.Say(id, prompt(id, node.prompt()), next(id, node.next(), out));
                case "record" -> new Node.RecordMessage(id, prompt(id, node.prompt()),
                        positive(id, "maxSeconds", node.maxSeconds()), next(id, node.next(), out));
                case "branch" -> compileBranch(id, node, out);
                case "transfer" -> new Node.Transfer(id, node.prompt() == null ? null : prompt(id, node.prompt()),
                        target(id, node.target()));
                case "result" -> compileResult(id, node);
                default -> throw fail("node '" + id + "': unknown type '" + type + "'");
            };
        }

        private Node.Menu compileMenu(String id, NodeFile node, List<String> out) {
            String prompt = prompt(id, node.prompt());
            int digits = node.digits() == null ? 1 : positive(id, "digits", node.digits());
            int timeout = node.timeoutSeconds() == null ? DEFAULT_TIMEOUT_SECONDS
                    : positive(id, "timeoutSeconds", node.timeoutSeconds());
            if (node.options() == null || node.options().isEmpty()) {
                throw fail("node '" + id + "': a menu needs options");
            }
            List<MenuOption> options = new ArrayList<>();
            Map<String, MenuOption> byKey = new HashMap<>();
            for (OptionFile option : node.options()) {
                MenuOption compiled = compileOption(id, digits, option, out);
                if (byKey.put(compiled.key(), compiled) != null) {
                    throw fail("node '" + id + "': key '" + compiled.key() + "' is used twice");
                }
                options.add(compiled);
            }
            String freeTextNext = node.freeTextNext() == null ? null : next(id, node.freeTextNext(), out);
            return new Node.Menu(id, prompt, digits, timeout, options, byKey, freeTextNext);
        }

        private MenuOption compileOption(String id, int digits, OptionFile option, List<String> out) {
            String key = require(option.key(), "nodes." + id + ".options.key");
            if (key.isEmpty() || key.length() > digits || !key.chars().allMatch(Character::isDigit)) {
                throw fail("node '" + id + "': key '" + key + "' must be 1 to " + digits + " digits");
            }
            if (key.chars().allMatch(c -> c == '0')) {
                throw fail("node '" + id + "': key '" + key + "' is reserved: 0 always reaches a person");
            }
            Map<Slot, Object> values = new EnumMap<>(Slot.class);
            if (option.set() != null) {
                option.set().forEach((name, value) -> {
                    Slot slot = Slot.byJsonName(name);
                    if (slot == null) {
                        throw fail("node '" + id + "' option '" + key + "': unknown answer '" + name + "'");
                    }
                    values.put(slot, parse(id, slot, String.valueOf(value)));
                });
            }
            Language language = option.language() == null ? null : language(id, option.language());
            List<String> words = new ArrayList<>();
            if (option.words() != null) {
                option.words().forEach(word -> words.add(TextNormalizer.normalise(word)));
            }
            return new MenuOption(key, words, Answers.of(values), language,
                    next(id + "' option '" + key, option.next(), out));
        }

        private Node.Branch compileBranch(String id, NodeFile node, List<String> out) {
            Slot on = Slot.byJsonName(require(node.on(), "nodes." + id + ".on"));
            if (on == null) {
                throw fail("node '" + id + "': cannot branch on unknown answer '" + node.on() + "'");
            }
            Map<Object, String> cases = new HashMap<>();
            if (node.cases() != null) {
                node.cases().forEach((value, target) -> cases.put(parse(id, on, value), next(id, target, out)));
            }
            return new Node.Branch(id, on, cases, next(id, node.otherwise(), out));
        }

        private Node.Result compileResult(String id, NodeFile node) {
            String referencePrompt = prompt(id, node.referencePrompt());
            for (String catalog : catalogs.names()) {
                if (!catalogs.find(catalog, referencePrompt).contains("{reference}")) {
                    throw fail("node '" + id + "': prompt '" + referencePrompt + "' in catalog " + catalog
                            + " does not read {reference}");
                }
            }
            List<String> closing = new ArrayList<>();
            if (node.closing() != null) {
                node.closing().forEach(key -> closing.add(prompt(id, key)));
            }
            if ((node.textOffer() == null) != (node.textSent() == null)) {
                throw fail("node '" + id + "': textOffer and textSent go together");
            }
            String textOffer = node.textOffer() == null ? null : prompt(id, node.textOffer());
            String textSent = node.textSent() == null ? null : prompt(id, node.textSent());
            return new Node.Result(id, referencePrompt, closing, textOffer, textSent);
        }

        private String prompt(String id, String key) {
            require(key, "nodes." + id + ".prompt");
            checkPrompt(id, key);
            return key;
        }

        private void checkPrompt(String id, String key) {
            for (String catalog : catalogs.names()) {
                if (catalogs.find(catalog, key) == null) {
                    throw fail("node '" + id + "': prompt '" + key + "' is missing in catalog " + catalog);
                }
            }
        }

        private String next(String id, String target, List<String> out) {
            checkTarget(id, "next", target);
            out.add(target);
            return target;
        }

        private void checkTarget(String id, String field, String target) {
            if (target == null) {
                throw fail("node '" + id + "': " + field + " is missing");
            }
            if (!file.nodes().containsKey(target)) {
                throw fail("node '" + id + "': " + field + " '" + target + "' is not a node of this flow");
            }
        }

        private TransferTarget target(String id, String name) {
            try {
                return TransferTarget.valueOf(require(name, "nodes." + id + ".target"));
            } catch (IllegalArgumentException e) {
                throw fail("node '" + id + "': unknown transfer target '" + name + "'");
            }
        }

        private Object parse(String id, Slot slot, String value) {
            try {
                return slot.parse(value);
            } catch (IllegalArgumentException e) {
                throw fail("node '" + id + "': " + slot.jsonName() + " '" + value + "' is invalid: " + e.getMessage());
            }
        }

        private Language language(String id, String tag) {
            for (Language language : Language.values()) {
                if (language.tag().equals(tag)) {
                    return language;
                }
            }
            throw fail("node '" + id + "': unknown language '" + tag + "'");
        }

        private int positive(String id, String field, Integer value) {
            if (value == null || value <= 0) {
                throw fail("node '" + id + "': " + field + " must be a positive number");
            }
            return value;
        }

        private <T> T require(T value, String field) {
            if (value == null) {
                throw fail(field + " is missing");
            }
            return value;
        }

        /** Every node must be reachable from the start, or from the human node that any menu reaches with 0. */
        private void checkReachable() {
            Set<String> seen = new HashSet<>();
            Deque<String> todo = new ArrayDeque<>(List.of(file.start(), file.human()));
            while (!todo.isEmpty()) {
                String id = todo.pop();
                if (seen.add(id)) {
                    todo.addAll(edges.get(id));
                }
            }
            for (String id : file.nodes().keySet()) {
                if (!seen.contains(id)) {
                    throw fail("node '" + id + "' is unreachable from '" + file.start() + "'");
                }
            }
        }

        /** Every node must lead to a transfer or a result; otherwise a caller would go round for ever. */
        private void checkExits(Map<String, Node> nodes) {
            Map<String, List<String>> reverse = new HashMap<>();
            edges.forEach((from, targets) -> targets.forEach(
                    to -> reverse.computeIfAbsent(to, k -> new ArrayList<>()).add(from)));
            Set<String> exits = new HashSet<>();
            Deque<String> todo = new ArrayDeque<>();
            nodes.forEach((id, node) -> {
                if (node instanceof Node.Transfer || node instanceof Node.Result) {
                    todo.add(id);
                }
            });
            while (!todo.isEmpty()) {
                String id = todo.pop();
                if (exits.add(id)) {
                    todo.addAll(reverse.getOrDefault(id, List.of()));
                }
            }
            for (String id : file.nodes().keySet()) {
                if (!exits.contains(id)) {
                    throw fail("node '" + id + "' is on a cycle with no exit to a transfer or a result");
                }
            }
        }

        /** A cycle of nodes that ask nothing would spin without waiting for the caller. */
        private void checkQuestionlessCycles(Map<String, Node> nodes) {
            Map<String, Integer> state = new HashMap<>();
            for (String id : file.nodes().keySet()) {
                visit(id, nodes, state);
            }
        }

        private void visit(String id, Map<String, Node> nodes, Map<String, Integer> state) {
            if (nodes.get(id) instanceof Node.Menu) {
                return;
            }
            Integer mark = state.get(id);
            if (mark != null) {
                if (mark == 1) {
                    throw fail("node '" + id + "' is on a cycle that asks the caller nothing");
                }
                return;
            }
            state.put(id, 1);
            for (String next : edges.get(id)) {
                visit(next, nodes, state);
            }
            state.put(id, 2);
        }

        private FlowException fail(String message) {
            return new FlowException(resource + ": " + message);
        }
    }
}
