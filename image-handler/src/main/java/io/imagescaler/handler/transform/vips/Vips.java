package io.imagescaler.handler.transform.vips;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * The libvips C API as far as this engine uses it, called through the Foreign Function and Memory API.
 * Operations are not bound one by one: {@link VipsCall} runs any of them by name (libvips' own
 * introspection: new operation, set arguments, build, read outputs), so the binding stays a handful of
 * fixed-shape functions. Variadic C functions get one handle per call shape.
 */
final class Vips {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final NativeLibraries.Opened LIBRARY = NativeLibraries.open();

    // lifecycle and settings
    static final MethodHandle INIT = fn("vips_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle VERSION = fn("vips_version", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    static final MethodHandle CACHE_SET_MAX = fn("vips_cache_set_max", FunctionDescriptor.ofVoid(JAVA_INT));
    static final MethodHandle CONCURRENCY_SET = fn("vips_concurrency_set", FunctionDescriptor.ofVoid(JAVA_INT));
    static final MethodHandle CONCURRENCY_GET = fn("vips_concurrency_get", FunctionDescriptor.of(JAVA_INT));

    // errors and memory
    static final MethodHandle ERROR_BUFFER_COPY = fn("vips_error_buffer_copy", FunctionDescriptor.of(ADDRESS));
    static final MethodHandle G_FREE = fn("g_free", FunctionDescriptor.ofVoid(ADDRESS));
    static final MethodHandle G_OBJECT_UNREF = fn("g_object_unref", FunctionDescriptor.ofVoid(ADDRESS));
    static final MethodHandle AREA_UNREF = fn("vips_area_unref", FunctionDescriptor.ofVoid(ADDRESS));

    // operations by name
    static final MethodHandle OPERATION_NEW = fn("vips_operation_new", FunctionDescriptor.of(ADDRESS, ADDRESS));
    static final MethodHandle SET_FROM_STRING = fn("vips_object_set_from_string",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle BUILD = fn("vips_cache_operation_buildp", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle UNREF_OUTPUTS = fn("vips_object_unref_outputs", FunctionDescriptor.ofVoid(ADDRESS));
    /** g_object_set(object, name, value, NULL): one pointer-sized value. */
    static final MethodHandle G_OBJECT_SET = fn("g_object_set",
            FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS, ADDRESS), Linker.Option.firstVariadicArg(2));
    /** g_object_get(object, name, &value, NULL). */
    static final MethodHandle G_OBJECT_GET = fn("g_object_get",
            FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS, ADDRESS), Linker.Option.firstVariadicArg(2));

    // images
    static final MethodHandle NEW_FROM_BUFFER = fn("vips_image_new_from_buffer",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS), Linker.Option.firstVariadicArg(3));
    static final MethodHandle NEW_FROM_FILE = fn("vips_image_new_from_file",
            FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS), Linker.Option.firstVariadicArg(1));
    static final MethodHandle NEW_FROM_MEMORY_COPY = fn("vips_image_new_from_memory_copy",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    static final MethodHandle WRITE_TO_BUFFER = fn("vips_image_write_to_buffer",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS),
            Linker.Option.firstVariadicArg(4));
    static final MethodHandle WRITE_TO_MEMORY = fn("vips_image_write_to_memory",
            FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    static final MethodHandle COPY_MEMORY = fn("vips_image_copy_memory", FunctionDescriptor.of(ADDRESS, ADDRESS));
    static final MethodHandle WIDTH = fn("vips_image_get_width", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle HEIGHT = fn("vips_image_get_height", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle BANDS = fn("vips_image_get_bands", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle FORMAT = fn("vips_image_get_format", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle INTERPRETATION = fn("vips_image_get_interpretation",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle HAS_ALPHA = fn("vips_image_hasalpha", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle GET_TYPEOF = fn("vips_image_get_typeof", FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS));
    static final MethodHandle GET_INT = fn("vips_image_get_int", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    static final MethodHandle GET_BLOB = fn("vips_image_get_blob",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    static final MethodHandle GET_ARRAY_INT = fn("vips_image_get_array_int",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    static final MethodHandle SET_INT = fn("vips_image_set_int", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, JAVA_INT));
    static final MethodHandle SET_ARRAY_INT = fn("vips_image_set_array_int",
            FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS, JAVA_INT));
    static final MethodHandle REMOVE = fn("vips_image_remove", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle ARRAY_IMAGE_NEW = fn("vips_array_image_new",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
    static final MethodHandle ARRAY_DOUBLE_NEW = fn("vips_array_double_new",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));

    /** The library version, e.g. "8.18.7", and where it was loaded from. */
    static final String VERSION_STRING;

    static {
        try (Arena arena = Arena.ofConfined()) {
            if ((int) INIT.invokeExact(arena.allocateFrom("image-scaler")) != 0) {
                throw new IllegalStateException("vips_init failed: " + Vips.error());
            }
            // Every render has new inputs: a cache of operations would only hold memory.
            CACHE_SET_MAX.invokeExact(0);
            String threads = System.getenv("VIPS_CONCURRENCY");
            if (threads == null || threads.isBlank()) {
                // libvips' default is one worker per core; say so explicitly, so the log shows it
                CONCURRENCY_SET.invokeExact(Runtime.getRuntime().availableProcessors());
            }
            VERSION_STRING = (int) VERSION.invokeExact(0) + "." + (int) VERSION.invokeExact(1) + "."
                    + (int) VERSION.invokeExact(2);
        } catch (Throwable t) {
            throw VipsException.rethrow(t);
        }
    }

    private Vips() {
    }

    static Path library() {
        return LIBRARY.library();
    }

    static int concurrency() {
        try {
            return (int) CONCURRENCY_GET.invokeExact();
        } catch (Throwable t) {
            throw VipsException.rethrow(t);
        }
    }

    /** libvips' error buffer, emptied: the reason of the failure that just happened on this thread. */
    static String error() {
        try {
            MemorySegment copy = (MemorySegment) ERROR_BUFFER_COPY.invokeExact();
            if (copy.equals(MemorySegment.NULL)) {
                return "";
            }
            String message = copy.reinterpret(Integer.MAX_VALUE).getString(0).strip();
            G_FREE.invokeExact(copy);
            return message;
        } catch (Throwable t) {
            throw VipsException.rethrow(t);
        }
    }

    static void unref(MemorySegment object) {
        try {
            G_OBJECT_UNREF.invokeExact(object);
        } catch (Throwable t) {
            throw VipsException.rethrow(t);
        }
    }

    private static MethodHandle fn(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = LIBRARY.lookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError(name + " is not exported by " + LIBRARY.library()));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }
}
