package jp.tsunagi.gateway.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM for {@code serve} and {@code demo}: the command then closes the gateway itself and returns
 * 0 (docs/contract.md section 2). With the JVM's own handling the close would run in shutdown hooks and the process
 * would end with 130 or 143 however cleanly it closed. A second signal while closing stops at once. A signal the
 * process was started with ignored (a background job without job control ignores SIGINT) stays ignored. Closing it
 * gives the JVM its own handling back (a command run in a test's JVM leaves nothing behind).
 */
final class StopSignal implements AutoCloseable {
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();

    private StopSignal() {
    }

    /** From now on SIGINT and SIGTERM ask for a stop instead of ending the JVM; one that arrives early is kept. */
    static StopSignal install() {
        StopSignal signals = new StopSignal();
        for (String name : List.of("INT", "TERM")) {
            Signal signal = new Signal(name);
            signals.previous.put(signal, Signal.handle(signal, received -> {
                if (signals.stop.getCount() == 0) {
                    Runtime.getRuntime().halt(128 + received.getNumber());
                }
                signals.stop.countDown();
            }));
        }
        return signals;
    }

    /** Whether SIGINT or SIGTERM has arrived: a command doing work checks between steps and stops cleanly. */
    boolean requested() {
        return stop.getCount() == 0;
    }

    /** Returns once SIGINT or SIGTERM has arrived (at once if one already has). */
    void await() throws InterruptedException {
        stop.await();
    }

    @Override
    public void close() {
        previous.forEach(Signal::handle);
    }
}
