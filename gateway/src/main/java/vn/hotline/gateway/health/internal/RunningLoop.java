package vn.hotline.gateway.health.internal;

import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;

/** A background loop that starts and stops with the application. */
abstract class RunningLoop implements SmartLifecycle {

    private volatile Disposable loop;

    /** Starts the loop; the handle stops it. */
    abstract Disposable startLoop();

    @Override
    public void start() {
        loop = startLoop();
    }

    @Override
    public void stop() {
        Disposable running = loop;
        if (running != null) {
            running.dispose();
            loop = null;
        }
    }

    @Override
    public boolean isRunning() {
        return loop != null;
    }
}
