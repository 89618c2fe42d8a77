package ee.koos.mongo;

import java.lang.reflect.Field;

import org.h2.mvstore.MVStore;

/** Reads what the H2 backend's classes keep in private fields: the MVStore ({@code mvStore}), an index's map. */
final class PrivateStore {

    private PrivateStore() {
    }

    static MVStore of(Object owner, Class<?> declaringClass) {
        return field(owner, declaringClass, "mvStore");
    }

    /** A private field of the H2 backend's classes (the store, an index's map). */
    @SuppressWarnings("unchecked")
    static <T> T field(Object owner, Class<?> declaringClass, String name) {
        try {
            Field field = declaringClass.getDeclaredField(name);
            field.setAccessible(true);
            return (T) field.get(owner);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot reach " + name + " of " + declaringClass.getName(), e);
        }
    }
}
