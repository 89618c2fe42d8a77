package ee.koos.mongo;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;

/**
 * Answers filters on {@code _id} from the {@code _id}-ordered data instead of a scan of the whole collection
 * (the stock server uses an index only when the filter's keys are exactly the index's keys):
 * <ul>
 * <li>string {@code _id}s (one, or {@code $in} a list of them, perhaps with other conditions, as guarded updates
 * have): the candidates are read from the data map by key, without the {@code _id} index (which serializes its
 * keys to compare them);</li>
 * <li>other {@code _id}s, one or {@code $in} a list, plus other conditions: the candidates are looked up in the
 * {@code _id} index;</li>
 * <li>a string range on {@code _id} ({@code $gt}/{@code $gte}/{@code $lt}/{@code $lte}, perhaps with other
 * conditions), unsorted or sorted by {@code _id} ascending: the data map is walked from the range's start and
 * stops at its end, or once skip + limit documents matched (a queue taken from its head).</li>
 * </ul>
 * The full filter, sort, skip, limit and projection are still applied to the candidates.
 */
public class IdNarrowingH2Collection extends H2Collection {

    private static final String ID = "_id";

    private final MVMap<Object, Document> data;

    public IdNarrowingH2Collection(MongoDatabase database, String collectionName, CollectionOptions options,
                                   MVMap<Object, Document> dataMap, MVMap<String, Object> metaMap,
                                   CursorRegistry cursorRegistry) {
        super(database, collectionName, options, dataMap, metaMap, cursorRegistry);
        this.data = dataMap;
    }

    @Override
    protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit,
                                         int batchSize, Document fieldSelector) {
        boolean keyedById = ID.equals(getIdField());
        List<String> named = keyedById ? namedStringIds(query) : null;
        if (named != null) {
            Stream<Document> candidates = named.stream().map(data::get).filter(Objects::nonNull);
            return matchDocumentsFromStream(candidates, query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
        }
        IdRange range = keyedById ? IdRange.of(query, orderBy) : null;
        if (range != null) {
            int wanted = limit > 0 ? numberToSkip + limit : 0;
            Stream<Document> candidates = walk(range, query, wanted).stream();
            return matchDocumentsFromStream(candidates, query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
        }
        if (!namesIdsAndMore(query)) {
            return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
        }
        QueryResult byId = super.queryDocuments(new Document(ID, query.get(ID)), null, 0, 0, 0, null);
        Stream<Document> candidates = StreamSupport.stream(byId.spliterator(), false);
        return matchDocumentsFromStream(candidates, query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
    }

    /** The documents of the range that match the filter, in {@code _id} order; at most {@code wanted} (0: all). */
    private List<Document> walk(IdRange range, Document query, int wanted) {
        List<Document> found = new ArrayList<>();
        Cursor<Object, Document> cursor = data.cursor(range.from());
        while (cursor.hasNext() && (wanted == 0 || found.size() < wanted)) {
            if (range.passedBy(cursor.next())) {
                break;
            }
            Document document = cursor.getValue();
            if (documentMatchesQuery(document, query)) {
                found.add(document);
            }
        }
        return found;
    }

    /**
     * The string {@code _id}s a filter names ({@code _id: "x"} or {@code _id: {$in: ["x", "y"]}}, perhaps with other
     * conditions), sorted; null if it names others or none. They are read from the data map, whose key is the
     * {@code _id} itself: the stock {@code _id} index compares its keys by serializing them, and costs a Java
     * serialization per comparison.
     */
    static List<String> namedStringIds(Document query) {
        Object id = query.get(ID);
        if (id instanceof String one) {
            return List.of(one);
        }
        if (!(id instanceof Document condition) || condition.size() != 1
            || !(condition.get("$in") instanceof List<?> values)
            || !values.stream().allMatch(String.class::isInstance)) {
            return null;
        }
        return values.stream().map(String.class::cast).distinct().sorted().toList();
    }

    static boolean namesIdsAndMore(Document query) {
        if (query.size() < 2 || !query.containsKey(ID)) {
            return false;
        }
        Object id = query.get(ID);
        return id != null && (!(id instanceof Document document) || !hasOperator(document) || isInList(document));
    }

    private static boolean hasOperator(Document document) {
        return document.keySet().stream().anyMatch(key -> key.startsWith("$"));
    }

    private static boolean isInList(Document document) {
        return document.size() == 1 && document.get("$in") instanceof List<?> values
            && values.stream().noneMatch(BsonRegularExpression::isRegularExpression);
    }
}
