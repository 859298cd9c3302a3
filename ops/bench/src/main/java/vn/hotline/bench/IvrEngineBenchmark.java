package vn.hotline.bench;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import vn.hotline.ivr.engine.CallerContext;
import vn.hotline.ivr.engine.Input;
import vn.hotline.ivr.engine.IvrEngine;
import vn.hotline.ivr.engine.SessionState;
import vn.hotline.ivr.engine.Step;
import vn.hotline.ivr.triage.Channel;

/**
 * Steps per second of the IVR engine on the default flow, one step per operation, beside a floor: a trivial
 * state machine walking the same script. A call is replayed over and over (greeting, bullying, teacher, age,
 * Phu Cat, both, case opened), so {@code gc.alloc.rate.norm} is bytes per step averaged over whole calls; it stays
 * flat however many steps a run takes. Run: {@code java -jar ops/bench/target/benchmarks.jar IvrEngine -prof gc}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
@State(Scope.Thread)
public class IvrEngineBenchmark {

    private static final Input[] SCRIPT = {
        new Input.Digits("3"), new Input.Digits("5"), new Input.Digits("3"), new Input.Digits("18"),
        new Input.Digits("3"), new Input.CaseOpened("BD-2026-000123"),
    };

    private IvrEngine engine;
    private CallerContext caller;
    private SessionState state;
    private int next;
    private int floorState;

    @Setup(Level.Trial)
    public void setUp() {
        engine = IvrEngine.withDefaults(
                Clock.fixed(Instant.parse("2026-03-02T01:30:00Z"), ZoneId.of("Asia/Ho_Chi_Minh")));
        caller = CallerContext.voice(Channel.ASTERISK_VOICE, "+84912345678", "+842563111111", null,
                Instant.parse("2026-03-02T01:29:40Z"));
        state = engine.start(caller).state();
    }

    /** One engine step of the scripted call; a finished call starts again (a start counts as a step). */
    @Benchmark
    public Step engineStep() {
        Step step;
        if (next == SCRIPT.length) {
            step = engine.start(caller);
            next = 0;
        } else {
            step = engine.step(state, SCRIPT[next++]);
        }
        state = step.state();
        return step;
    }

    /** The floor: a switch-based state machine over the same script, no flow, no commands. */
    @Benchmark
    public int floorStep() {
        if (next == SCRIPT.length) {
            next = 0;
            floorState = 0;
            return floorState;
        }
        Input input = SCRIPT[next++];
        floorState = switch (floorState) {
            case 0, 1, 2, 3, 4 -> input instanceof Input.Digits ? floorState + 1 : -1;
            default -> input instanceof Input.CaseOpened ? 6 : -1;
        };
        return floorState;
    }
}
