package vn.hotline.gateway.retention;

import reactor.core.publisher.Mono;
import vn.hotline.gateway.audit.Actor;

/** Anonymises personal data past its retention period, except where a case is on legal hold; statistics stay. */
public interface Retention {

    /** What is due now, changing nothing; recorded as a dry {@code RETENTION_RUN}. */
    Mono<RetentionReport> dryRun(Actor requestedBy);

    /** Anonymises what is due, in batches; recorded as an applied {@code RETENTION_RUN}. */
    Mono<RetentionReport> apply(Actor requestedBy);
}
