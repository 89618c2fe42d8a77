package ee.koos.mongo;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;

/** An H2 database whose collections look a document up by its {@code _id} before testing the rest of a filter. */
public class IdNarrowingH2Database extends H2Database {

    private static final String DATA_PREFIX = "databases.";
    private static final String META_PREFIX = "meta.";

    public IdNarrowingH2Database(String databaseName, MVStore store, CursorRegistry cursorRegistry) {
        super(databaseName, store, cursorRegistry);
    }

    @Override
    protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
        MVStore store = PrivateStore.of(this, H2Database.class);
        String namespace = getFullCollectionNamespace(collectionName);
        MVMap<Object, Document> data = store.openMap(DATA_PREFIX + namespace);
        MVMap<String, Object> meta = store.openMap(META_PREFIX + namespace);
        return new IdNarrowingH2Collection(this, collectionName, options, data, meta, cursorRegistry);
    }
}
