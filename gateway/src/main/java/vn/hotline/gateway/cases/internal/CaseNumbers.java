package vn.hotline.gateway.cases.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.cases.CaseProperties;

/**
 * Case numbers, taken from {@code case_reference_counters} in blocks and handed out from memory, so opening a case
 * costs no round trip for its number: a caller hears the reference without waiting on the one row every new case in
 * the province would otherwise queue on. The next block is fetched when half of the current one is used. Numbers stay
 * unique across nodes (each block is the counter's own); what a block costs is order and completeness: two nodes
 * interleave their blocks, and numbers a node held when it stopped are never used (a gap, as a failed case leaves
 * one). Thread-safe.
 */
@Component
public class CaseNumbers {

    private static final Logger log = LoggerFactory.getLogger(CaseNumbers.class);

    private record Counter(String prefix, int year) {
    }

    /** The numbers held for one counter: ranges in the order they were taken, and the block being fetched. */
    private static final class Held {
        final Deque<long[]> ranges = new ArrayDeque<>();
        Mono<Void> fetching;

        long remaining() {
            return ranges.stream().mapToLong(r -> r[1] - r[0] + 1).sum();
        }
    }

    private final CaseRepository cases;
    private final int blockSize;
    private final Map<Counter, Held> held = new HashMap<>();

    CaseNumbers(CaseRepository cases, CaseProperties properties) {
        this.cases = cases;
        this.blockSize = properties.referenceBlock();
    }

    /** The next number of this prefix and year. */
    public Mono<Long> next(String prefix, int year) {
        return Mono.defer(() -> {
            Mono<Void> fetching;
            synchronized (this) {
                Counter counter = new Counter(prefix, year);
                Held numbers = held.get(counter);
                if (numbers == null) {
                    // A new year's counter: last year's numbers are kept for reports received before midnight.
                    held.keySet().removeIf(c -> c.year() < year - 1);
                    numbers = new Held();
                    held.put(counter, numbers);
                }
                long number = take(numbers);
                fetching = numbers.fetching;
                if (fetching == null && numbers.remaining() <= blockSize / 2) {
                    fetching = fetch(prefix, year, numbers);
                    numbers.fetching = fetching;
                    // Fetched ahead, in the background: the callers that will need it join the same fetch.
                    fetching.subscribe(null, e -> log.warn("Case numbers for {}-{} not fetched: {}", prefix, year,
                            e.toString()));
                }
                if (number > 0) {
                    return Mono.just(number);
                }
            }
            return fetching.then(next(prefix, year));
        });
    }

    /** The next held number, or 0 when none is held. Called holding the lock. */
    private static long take(Held numbers) {
        long[] range = numbers.ranges.peekFirst();
        if (range == null) {
            return 0;
        }
        long number = range[0]++;
        if (range[0] > range[1]) {
            numbers.ranges.removeFirst();
        }
        return number;
    }

    /**
     * One block from the counter. It is held, and the fetch forgotten, before its waiters hear that it completed
     * (they take from it at once, and a further fetch must be possible by then).
     */
    private Mono<Void> fetch(String prefix, int year, Held numbers) {
        return cases.takeNumbers(prefix, year, blockSize)
                .doOnSuccess(last -> {
                    synchronized (this) {
                        numbers.ranges.addLast(new long[] {last - blockSize + 1, last});
                        numbers.fetching = null;
                    }
                })
                .doOnError(e -> {
                    synchronized (this) {
                        numbers.fetching = null;
                    }
                })
                .then()
                .cache();
    }
}
