package io.imagescaler.handler.transform.vips;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * One libvips operation, called by name the way libvips' own language bindings do: create it, set its
 * image arguments as objects and the rest from an option string ({@code "scale=0.5,kernel=lanczos3"}),
 * build it, read its outputs, and drop it. Its output image is handed to the caller's {@link VipsSession},
 * which unrefs it when the render ends.
 */
final class VipsCall {
    private final String operation;
    private final List<String> objectNames = new ArrayList<>();
    private final List<MemorySegment> objects = new ArrayList<>();
    private final StringJoiner options = new StringJoiner(",");

    private VipsCall(String operation) {
        this.operation = operation;
    }

    static VipsCall of(String operation) {
        return new VipsCall(operation);
    }

    /** An image (or other GObject/boxed) argument. */
    VipsCall object(String name, MemorySegment value) {
        objectNames.add(name);
        objects.add(value);
        return this;
    }

    /** A number, boolean, enum nickname or string argument. */
    VipsCall set(String name, Object value) {
        String text = switch (value) {
            case Double d -> String.format(Locale.ROOT, "%.17g", d);
            case double[] a -> {
                StringJoiner j = new StringJoiner(" ");
                for (double v : a) {
                    j.add(String.format(Locale.ROOT, "%.17g", v));
                }
                yield j.toString();
            }
            default -> value.toString();
        };
        options.add(name + "=" + text);
        return this;
    }

    /** Runs the operation and returns its {@code out} image, owned by {@code session}. */
    MemorySegment run(VipsSession session) {
        return run(session, new String[0], new int[0]);
    }

    /** Runs it, also reading the int outputs named in {@code intOutputs} into {@code values}. */
    MemorySegment run(VipsSession session, String[] intOutputs, int[] values) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment op = (MemorySegment) Vips.OPERATION_NEW.invokeExact(arena.allocateFrom(operation));
            if (op.equals(MemorySegment.NULL)) {
                throw new VipsException("libvips has no operation " + operation + ": " + Vips.error());
            }
            MemorySegment ref = arena.allocate(ADDRESS);
            ref.set(ADDRESS, 0, op);
            try {
                for (int i = 0; i < objects.size(); i++) {
                    Vips.G_OBJECT_SET.invokeExact(op, arena.allocateFrom(objectNames.get(i)), objects.get(i),
                            MemorySegment.NULL);
                }
                if (options.length() > 0
                        && (int) Vips.SET_FROM_STRING.invokeExact(op, arena.allocateFrom(options.toString())) != 0) {
                    throw new VipsException(operation + "(" + options + "): " + Vips.error());
                }
                if ((int) Vips.BUILD.invokeExact(ref) != 0) {
                    throw new VipsException(operation + ": " + Vips.error());
                }
                op = ref.get(ADDRESS, 0);
                MemorySegment out = arena.allocate(ADDRESS);
                Vips.G_OBJECT_GET.invokeExact(op, arena.allocateFrom("out"), out, MemorySegment.NULL);
                MemorySegment image = session.own(out.get(ADDRESS, 0));
                for (int i = 0; i < intOutputs.length; i++) {
                    MemorySegment v = arena.allocate(JAVA_INT);
                    Vips.G_OBJECT_GET.invokeExact(op, arena.allocateFrom(intOutputs[i]), v, MemorySegment.NULL);
                    values[i] = v.get(JAVA_INT, 0);
                }
                return image;
            } finally {
                op = ref.get(ADDRESS, 0);
                Vips.UNREF_OUTPUTS.invokeExact(op);
                Vips.G_OBJECT_UNREF.invokeExact(op);
            }
        } catch (Throwable t) {
            throw VipsException.rethrow(t);
        }
    }
}
