package ee.koos.mongo;

import java.util.List;
import java.util.Map.Entry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.h2.mvstore.MVMap;

import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;

/**
 * The {@code _id} index, in the same H2 map as the stock one, that looks string {@code _id}s up in memory.
 * <p>
 * The stock index keys its map by {@code KeyValue}, which H2 can only compare by serializing both sides: every
 * lookup costs a Java serialization per comparison, and every insert, update and delete by {@code _id} does
 * several. The map is still written as before (so a store stays readable by the stock server), but which string
 * {@code _id}s it holds is also kept in a set, read from the map at first use: a string {@code _id}'s position is
 * the {@code _id} itself (the data map's key), so a lookup needs no serialization.
 */
final class StringIdIndex extends AbstractUniqueIndex<Object> {

    private final MVMap<KeyValue, Object> map;
    private volatile Set<String> strings;

    StringIdIndex(MVMap<KeyValue, Object> map, String name, List<IndexKey> keys, boolean sparse) {
        super(name, keys, sparse);
        this.map = map;
    }

    @Override
    protected Object getPosition(KeyValue keyValue) {
        String id = onlyString(keyValue);
        if (id == null) {
            return map.get(keyValue);
        }
        return strings().contains(id) ? id : null;
    }

    @Override
    protected boolean putKeyPosition(KeyValue keyValue, Object position) {
        boolean added = map.putIfAbsent(keyValue, Missing.ofNullable(position)) == null;
        String id = onlyString(keyValue);
        if (added && id != null) {
            strings().add(id);
        }
        return added;
    }

    @Override
    protected Object removeDocument(KeyValue keyValue) {
        Object removed = map.remove(keyValue);
        String id = onlyString(keyValue);
        if (id != null) {
            strings().remove(id);
        }
        return removed;
    }

    @Override
    protected Iterable<Entry<KeyValue, Object>> getIterable() {
        return map.entrySet();
    }

    @Override
    public long getCount() {
        return map.sizeAsLong();
    }

    @Override
    public boolean isEmpty() {
        return map.isEmpty();
    }

    @Override
    public long getDataSize() {
        return getCount();
    }

    private Set<String> strings() {
        Set<String> known = strings;
        if (known == null) {
            synchronized (this) {
                known = strings;
                if (known == null) {
                    known = ConcurrentHashMap.newKeySet();
                    for (KeyValue key : map.keySet()) {
                        String id = onlyString(key);
                        if (id != null) {
                            known.add(id);
                        }
                    }
                    strings = known;
                }
            }
        }
        return known;
    }

    private static String onlyString(KeyValue keyValue) {
        return keyValue.size() == 1 && keyValue.get(0) instanceof String id ? id : null;
    }
}
