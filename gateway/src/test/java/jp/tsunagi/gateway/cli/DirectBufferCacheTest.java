package jp.tsunagi.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process of the command line (serve, demo) does not keep a direct buffer per thread as large as the largest file
 * write the thread made: H2 writes whole chunks from heap memory, and with that cache the gateway's committing
 * threads exhausted the direct memory and H2 closed the database. Run in a JVM of its own, as the JDK reads the
 * setting once.
 */
class DirectBufferCacheTest {
    private static final int THREADS = 8;
    private static final int WRITE = 8 * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void threadsThatWroteLargeChunksToAFileHoldNoDirectMemoryAfterwardsInACommandLineProcess() throws Exception {
        assertThat(directBytesHeldAfterWrites(true)).as("with the command line's settings").isLessThan(WRITE);
        // the same writes in a JVM left to its defaults: what the gateway did before
        assertThat(directBytesHeldAfterWrites(false)).isGreaterThanOrEqualTo((long) THREADS * WRITE);
    }

    private long directBytesHeldAfterWrites(boolean commandLine) throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Writer.class.getName(), dir.toString(),
                String.valueOf(commandLine)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return Long.parseLong(output.lines().reduce((a, b) -> b).orElseThrow());
    }

    /** Writes 8 MB from the heap on each of eight threads that stay alive, then prints the direct memory in use. */
    public static final class Writer {
        public static void main(String[] args) throws Exception {
            if (Boolean.parseBoolean(args[1])) {
                Class.forName(TsunagiCli.class.getName()); // what every command's start does
            }
            List<Thread> threads = new ArrayList<>();
            java.util.concurrent.CountDownLatch written = new java.util.concurrent.CountDownLatch(THREADS);
            java.util.concurrent.CountDownLatch measured = new java.util.concurrent.CountDownLatch(1);
            for (int t = 0; t < THREADS; t++) {
                Path file = Path.of(args[0], "chunk-" + args[1] + "-" + t);
                Thread thread = new Thread(() -> {
                    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                        channel.write(ByteBuffer.allocate(WRITE));
                        written.countDown();
                        measured.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                thread.start();
                threads.add(thread);
            }
            written.await();
            long direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                    .filter(b -> b.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
            measured.countDown();
            for (Thread thread : threads) {
                thread.join();
            }
            System.out.println(direct);
        }
    }
}
