package ee.koos.mongo;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;

/** Runs mongo-java-server on a durable H2 file: {@code KoosMongoServer <host> <port> <h2-file>}. */
public final class KoosMongoServer {

    private KoosMongoServer() {
    }

    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: KoosMongoServer <host> <port> <h2-file>");
            System.exit(2);
        }
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        MongoServer server = start(host, port, args[2]);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server), "koos-mongo-shutdown"));
        System.out.println("koos-mongo ready on " + host + ":" + port + " (MongoDB 5.0 wire, store " + args[2] + ")");
        System.out.flush();
    }

    private static MongoServer start(String host, int port, String storeFile) {
        DurableH2Backend backend = new DurableH2Backend(storeFile);
        backend.version(ServerVersion.MONGO_5_0);
        MongoServer server = new MongoServer(backend);
        server.bind(host, port);
        return server;
    }

    private static void stop(MongoServer server) {
        System.out.println("koos-mongo shutting down");
        server.shutdownNow();
        System.out.println("koos-mongo stopped; store closed");
        System.out.flush();
    }
}
