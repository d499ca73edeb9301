package jp.tsunagi.gateway.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.util.concurrent.atomic.AtomicBoolean;
import org.h2.store.fs.FileBase;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * A disk that fills up under an H2 database, without root or a mount: H2's pluggable file system, registered under
 * the prefix {@code fulldisk:} ({@code jdbc:h2:fulldisk:/path/db}), passes everything to the real files until
 * {@link #fill()}; from then on every write fails as the kernel's ENOSPC does, until {@link #free()}.
 */
public final class FullDisk extends FilePathWrapper {
    public static final String PREFIX = "fulldisk:";
    private static final AtomicBoolean FULL = new AtomicBoolean();
    private static final AtomicBoolean REGISTERED = new AtomicBoolean();

    /** Registers the file system with H2 (once per JVM) and returns the JDBC URL of a database at that path. */
    public static String url(java.nio.file.Path database) {
        if (REGISTERED.compareAndSet(false, true)) {
            FilePath.register(new FullDisk());
        }
        return "jdbc:h2:" + PREFIX + database.toAbsolutePath();
    }

    public static void fill() {
        FULL.set(true);
    }

    public static void free() {
        FULL.set(false);
    }

    private static void check() throws IOException {
        if (FULL.get()) {
            throw new IOException("No space left on device");
        }
    }

    @Override
    public String getScheme() {
        return "fulldisk";
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        return new Channel(super.open(mode));
    }

    @Override
    public OutputStream newOutputStream(boolean append) throws IOException {
        check();
        return super.newOutputStream(append);
    }

    @Override
    public boolean createFile() {
        return !FULL.get() && super.createFile();
    }

    /** A file whose writes fail while the disk is full; reads, size and locks go to the real file. */
    private static final class Channel extends FileBase {
        private final FileChannel base;

        Channel(FileChannel base) {
            this.base = base;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return base.read(dst);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return base.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            check();
            return base.write(src);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            check();
            return base.write(src, position);
        }

        @Override
        public long position() throws IOException {
            return base.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            base.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return base.size();
        }

        @Override
        public FileChannel truncate(long newLength) throws IOException {
            base.truncate(newLength);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            base.force(metaData);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return base.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            base.close();
        }
    }
}
