package ee.koos.mongo;

import java.util.List;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.h2.H2UniqueIndex;
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;

/**
 * An H2 database whose collections answer filters on {@code _id} from the {@code _id}-ordered data (see
 * {@link IdNarrowingH2Collection}), whose {@code _id} index looks string {@code _id}s up in memory, and whose
 * documents are stored as BSON ({@link BsonDocumentType}).
 */
public class IdNarrowingH2Database extends H2Database {

    private static final String DATA_PREFIX = "databases.";
    private static final String ID = "_id";
    private static final String META_PREFIX = "meta.";

    public IdNarrowingH2Database(String databaseName, MVStore store, CursorRegistry cursorRegistry) {
        super(databaseName, store, cursorRegistry);
    }

    /** The {@code _id} index looks string {@code _id}s up without serializing keys (see {@link StringIdIndex}). */
    @Override
    protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
                                                    boolean sparse) {
        Index<Object> stock = super.openOrCreateUniqueIndex(collectionName, indexName, keys, sparse);
        if (sparse || keys.size() != 1 || !ID.equals(keys.get(0).getKey())) {
            return stock;
        }
        MVMap<KeyValue, Object> map = PrivateStore.field(stock, H2UniqueIndex.class, "mvMap");
        return new StringIdIndex(map, indexName, keys, false);
    }

    @Override
    protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
        MVStore store = PrivateStore.of(this, H2Database.class);
        String namespace = getFullCollectionNamespace(collectionName);
        MVMap<Object, Document> data = store.openMap(DATA_PREFIX + namespace,
            new MVMap.Builder<Object, Document>().valueType(new BsonDocumentType()));
        MVMap<String, Object> meta = store.openMap(META_PREFIX + namespace);
        return new IdNarrowingH2Collection(this, collectionName, options, data, meta, cursorRegistry);
    }
}
