package ee.koos.mongo;

import java.lang.reflect.Field;

import org.h2.mvstore.MVStore;

/** Reads the MVStore that the H2 backend and database classes keep in a private field named {@code mvStore}. */
final class PrivateStore {

    private PrivateStore() {
    }

    static MVStore of(Object owner, Class<?> declaringClass) {
        try {
            Field field = declaringClass.getDeclaredField("mvStore");
            field.setAccessible(true);
            return (MVStore) field.get(owner);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot reach the MVStore of " + declaringClass.getName(), e);
        }
    }
}
