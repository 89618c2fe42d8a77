package ee.koos.mongo;

import java.util.Set;

import de.bwaldvogel.mongo.bson.Document;

/**
 * The string keys a filter's {@code _id} range ({@code $gt}, {@code $gte}, {@code $lt}, {@code $lte}) can match:
 * from the lowest lower bound to the highest upper bound, ends included. It is deliberately a little wide
 * (exclusive ends and a second bound on one side are left to the filter, which every candidate still passes),
 * so that walking it can never miss a match. String keys are stored in {@link String#compareTo} order, as the
 * server compares strings, and together: other types of {@code _id} cannot match a string range.
 */
record IdRange(String from, String to) {

    private static final String ID = "_id";
    private static final Set<String> LOWER = Set.of("$gt", "$gte");
    private static final Set<String> UPPER = Set.of("$lt", "$lte");

    /** The range of a filter on {@code _id} with string bounds, walked in {@code _id} order; null if it has none. */
    static IdRange of(Document query, Document orderBy) {
        if (!(query.get(ID) instanceof Document condition) || condition.isEmpty() || !inIdOrder(orderBy)) {
            return null;
        }
        String from = "";
        String to = null;
        for (String operator : condition.keySet()) {
            if (!(condition.get(operator) instanceof String bound)) {
                return null;
            }
            if (LOWER.contains(operator)) {
                from = from.isEmpty() || bound.compareTo(from) < 0 ? bound : from;
            } else if (UPPER.contains(operator)) {
                to = to == null || bound.compareTo(to) > 0 ? bound : to;
            } else {
                return null;
            }
        }
        return new IdRange(from, to);
    }

    /** Whether a key lies past the range, so that no later key can match. */
    boolean passedBy(Object key) {
        return !(key instanceof String id) || (to != null && id.compareTo(to) > 0);
    }

    private static boolean inIdOrder(Document orderBy) {
        if (orderBy == null || orderBy.isEmpty()) {
            return true;
        }
        return orderBy.size() == 1 && orderBy.get(ID) instanceof Number direction && direction.intValue() == 1;
    }
}
