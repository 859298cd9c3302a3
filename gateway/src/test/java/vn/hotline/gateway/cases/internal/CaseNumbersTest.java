package vn.hotline.gateway.cases.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.cases.CaseProperties;

/** Case numbers taken in blocks, against the real counter, as two nodes would take them. */
@GatewayTest
class CaseNumbersTest {

    private static final int BLOCK = 20;

    @Autowired
    CaseRepository cases;
    @Autowired
    DatabaseClient db;

    private CaseNumbers node() {
        return new CaseNumbers(cases, new CaseProperties("BD", Duration.ofSeconds(10), Duration.ofSeconds(60), 50, BLOCK));
    }

    private long counter(String prefix, int year) {
        return db.sql("SELECT last_value FROM case_reference_counters WHERE prefix = :p AND year = :y")
                .bind("p", prefix).bind("y", year).map(r -> r.get(0, Long.class)).one().block();
    }

    @Test
    void twoNodesTakingNumbersAtOnceNeverShareOneAndLeaveFewUnused() {
        CaseNumbers a = node();
        CaseNumbers b = node();

        List<List<Long>> taken = Flux.just(a, b)
                .flatMap(node -> Flux.range(0, 300).flatMap(i -> node.next("NUMA", 2031), 64).collectList())
                .collectList().block(Duration.ofSeconds(30));

        Set<Long> distinct = new HashSet<>();
        taken.forEach(distinct::addAll);
        assertThat(distinct).hasSize(600);
        assertThat(distinct).allMatch(n -> n >= 1);
        long last = counter("NUMA", 2031);
        assertThat(last % BLOCK).as("the counter moves by whole blocks").isZero();
        assertThat(last - 600).as("each node holds at most a block and a half it has not handed out")
                .isBetween(0L, 3L * BLOCK);
    }

    @Test
    void oneNodeHandsOutItsNumbersInOrderAndEachYearStartsAtOne() {
        CaseNumbers node = node();

        List<Long> numbers = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            numbers.add(node.next("NUMB", 2032).block(Duration.ofSeconds(10)));
        }

        assertThat(numbers).isSorted().doesNotHaveDuplicates().startsWith(1L);
        assertThat(numbers.get(44)).isEqualTo(45L);
        assertThat(node.next("NUMB", 2033).block(Duration.ofSeconds(10))).isEqualTo(1L);
        assertThat(node.next("NUMB", 2032).block(Duration.ofSeconds(10))).isEqualTo(46L);
        assertThat(node.next("NUMB", 2033).block(Duration.ofSeconds(10))).isEqualTo(2L);
        assertThat(node.next("NUMB", 2036).block(Duration.ofSeconds(10))).as("years long past are let go").isEqualTo(1L);
    }
}
