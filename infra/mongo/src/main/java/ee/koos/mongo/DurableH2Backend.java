package ee.koos.mongo;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.h2.mvstore.MVStore;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;

/**
 * An H2 backend that commits its store before acknowledging any write command, finds by _id fast, stores documents
 * as BSON and keeps more of its pages in memory.
 */
public class DurableH2Backend extends H2Backend {

    private static final Set<String> WRITE_COMMANDS = Set.of(
        "insert", "update", "delete", "findandmodify", "create", "createindexes",
        "drop", "dropindexes", "dropdatabase", "renamecollection");

    /** Megabytes of pages H2 keeps in memory (its default, 16, makes a rush read pages back from the file). */
    static final int CACHE_MEGABYTES = 128;

    public DurableH2Backend(String fileName) {
        super(new MVStore.Builder().fileName(fileName).cacheSize(CACHE_MEGABYTES).open());
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        MVStore store = PrivateStore.of(this, H2Backend.class);
        return new IdNarrowingH2Database(databaseName, store, getCursorRegistry());
    }

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        try {
            return super.handleCommand(channel, database, command, query);
        } finally {
            if (isWrite(command, query)) {
                commit();
            }
        }
    }

    static boolean isWrite(String command, Document query) {
        String name = command.toLowerCase(Locale.ROOT);
        return WRITE_COMMANDS.contains(name) || (name.equals("aggregate") && writesOutput(query));
    }

    private static boolean writesOutput(Document query) {
        Object pipeline = query.get("pipeline");
        if (!(pipeline instanceof List<?> stages)) {
            return false;
        }
        return stages.stream().anyMatch(stage -> stage instanceof Document document
            && (document.containsKey("$out") || document.containsKey("$merge")));
    }
}
