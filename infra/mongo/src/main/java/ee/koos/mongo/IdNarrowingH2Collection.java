package ee.koos.mongo;

import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.h2.mvstore.MVMap;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.Document;

/**
 * Answers a filter that names one {@code _id} (plus other conditions, as guarded updates have) from the
 * {@code _id} index instead of a scan of the whole collection: the stock server uses an index only when
 * the filter's keys are exactly the index's keys. The full filter is still applied to the candidate.
 */
public class IdNarrowingH2Collection extends H2Collection {

    private static final String ID = "_id";

    public IdNarrowingH2Collection(MongoDatabase database, String collectionName, CollectionOptions options,
                                   MVMap<Object, Document> dataMap, MVMap<String, Object> metaMap,
                                   CursorRegistry cursorRegistry) {
        super(database, collectionName, options, dataMap, metaMap, cursorRegistry);
    }

    @Override
    protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit,
                                         int batchSize, Document fieldSelector) {
        if (!namesOneIdAndMore(query)) {
            return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
        }
        QueryResult byId = super.queryDocuments(new Document(ID, query.get(ID)), null, 0, 0, 0, null);
        Stream<Document> candidates = StreamSupport.stream(byId.spliterator(), false);
        return matchDocumentsFromStream(candidates, query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
    }

    static boolean namesOneIdAndMore(Document query) {
        if (query.size() < 2 || !query.containsKey(ID)) {
            return false;
        }
        Object id = query.get(ID);
        return id != null && !(id instanceof Document document && hasOperator(document));
    }

    private static boolean hasOperator(Document document) {
        return document.keySet().stream().anyMatch(key -> key.startsWith("$"));
    }
}
