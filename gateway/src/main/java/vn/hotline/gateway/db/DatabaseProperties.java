package vn.hotline.gateway.db;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Where the data lives: an existing PostgreSQL ({@code url}) or, when none is configured, the embedded one.
 *
 * @param url {@code postgresql://user:password@host:port/db?options} for the application role; empty for embedded
 * @param ownerUser the role that owns the schema and runs migrations; defaults to the URL's user
 * @param ownerPassword its password
 * @param appRole the run-time role that migrations grant privileges to (never a superuser)
 * @param embedded settings of the embedded PostgreSQL
 * @param watch the probe that tells health, metrics and the logs whether the database answers
 */
@Validated
@ConfigurationProperties("hotline.db")
public record DatabaseProperties(
        String url,
        String ownerUser,
        String ownerPassword,
        @NotBlank @Pattern(regexp = "[a-z_][a-z0-9_]{0,62}") @DefaultValue("hotline_app") String appRole,
        @Valid @NotNull @DefaultValue Embedded embedded,
        @Valid @NotNull @DefaultValue Watch watch) {

    /**
     * The embedded PostgreSQL.
     *
     * @param dataDir kept between runs; never cleaned
     * @param port 0 picks a free port
     * @param secretsDir generated database passwords (mode 0600)
     * @param database the database name
     */
    public record Embedded(
            @NotNull @DefaultValue("var/pgdata") Path dataDir,
            @Min(0) @Max(65535) @DefaultValue("0") int port,
            @NotNull @DefaultValue("var/secrets") Path secretsDir,
            @NotBlank @DefaultValue("hotline") String database) {
    }

    /**
     * The database probe ({@code DatabaseWatch}).
     *
     * @param interval how often a {@code SELECT 1} goes through the pool
     * @param timeout a probe unanswered this long counts as down (a stopped server never refuses, it just says nothing)
     * @param brokenAfter how long the pool may fail while a fresh connection works before liveness says BROKEN: the
     *     pool is stuck and only a restart of this server helps
     * @param diskPath the file system PostgreSQL writes to, when it is on this machine: the embedded data directory by
     *     default; empty for an external server without a local path (watch its disk where it runs)
     * @param minFreeDisk below this much free space there, PostgreSQL is about to refuse writes (a new WAL segment alone
     *     is 16 MB): health DOWN, one log line, until it is back above one and a half times this
     */
    public record Watch(
            @NotNull @DefaultValue("5s") Duration interval,
            @NotNull @DefaultValue("2s") Duration timeout,
            @NotNull @DefaultValue("60s") Duration brokenAfter,
            Path diskPath,
            @NotNull @DefaultValue("256MB") DataSize minFreeDisk) {
    }

    /** Where the database's files are on this machine, if they are: the configured path, else the embedded data. */
    public Optional<Path> localDataPath() {
        if (watch.diskPath() != null && !watch.diskPath().toString().isBlank()) {
            return Optional.of(watch.diskPath());
        }
        return embeddedMode() ? Optional.of(embedded.dataDir()) : Optional.empty();
    }

    /** True when no database is configured and the embedded one must run. */
    public boolean embeddedMode() {
        return url == null || url.isBlank();
    }
}
